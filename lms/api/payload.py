"""Reading JSON request bodies, naming the field that is wrong."""

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest

from lms.api.errors import ApiError

MAX_ID = 2**31 - 1


def invalid(message: str, field: str) -> ApiError:
    return ApiError(422, "invalid", message, field)


def json_object() -> dict:
    """The body as a JSON object, or a 422 naming "body"."""
    if not request.is_json:
        raise invalid(_("Cần gửi dữ liệu JSON (Content-Type: application/json)."), "body")
    try:
        body = request.get_json()
    except BadRequest as exc:  # not JSON, nested too deeply, or a lone surrogate in a string
        message = _(
            "Không đọc được nội dung JSON (sai cú pháp, lồng quá sâu "
            "hoặc có ký tự không hợp lệ như \\ud800)."
        )
        raise invalid(message, "body") from exc
    if not isinstance(body, dict):
        raise invalid(_("Nội dung gửi lên phải là một đối tượng JSON."), "body")
    return body


def text_field(body: dict, name: str, required: bool = True) -> str:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise invalid(_("Thiếu trường '%(name)s'.", name=name), name)
        return ""
    if not isinstance(value, str):
        raise invalid(_("Trường '%(name)s' phải là chuỗi ký tự.", name=name), name)
    return value


def identifier(value, field: str) -> int:
    """A positive id given as a number or a string of digits."""
    if isinstance(value, bool):
        raise invalid(_("Mã số phải là số nguyên dương."), field)
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID)):
        value = int(text)  # ASCII only: "¹" is a digit to str.isdigit() but not to int()
    if not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise invalid(_("Mã số phải là số nguyên dương."), field)
    return value


def answers_field(body: dict) -> dict[int, list[int]]:
    """{"answers": {"<question_id>": ["<option_id>", ...]}} as {int: [int]}."""
    raw = body.get("answers")
    if not isinstance(raw, dict):
        raise invalid(
            _("Trường 'answers' phải là đối tượng: mã câu hỏi → danh sách lựa chọn."), "answers"
        )
    answers = {}
    for key, options in raw.items():
        field = f"answers.{key}"
        question_id = identifier(key, field)
        if not isinstance(options, list):
            raise invalid(_("Câu trả lời phải là danh sách mã lựa chọn."), field)
        answers[question_id] = [identifier(option, field) for option in options]
    return answers
