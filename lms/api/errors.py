"""Every error under /api/ as JSON: {"error": {"code", "message", "field"?}}, never HTML."""

from flask import jsonify, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from lms.accounts.services import AccountError
from lms.quizzes.services import (
    AttemptAlreadySubmitted,
    AttemptNotFound,
    InvalidAnswers,
    QuizError,
    QuizNotFound,
    RetryTooSoon,
)

API_PATH_PREFIX = "/api/"

HTTP_CODES = {
    400: ("bad_request", _l("Yêu cầu không hợp lệ.")),
    401: ("unauthorized", _l("Cần đăng nhập.")),
    403: ("forbidden", _l("Bạn không có quyền làm việc này.")),
    404: ("not_found", _l("Không tìm thấy.")),
    405: ("method_not_allowed", _l("Phương thức này không dùng được ở đây.")),
    409: ("conflict", _l("Yêu cầu mâu thuẫn với trạng thái hiện tại.")),
    413: ("too_large", _l("Dữ liệu gửi lên quá lớn.")),
    422: ("invalid", _l("Dữ liệu không hợp lệ.")),
    429: ("too_many_requests", _l("Bạn thử quá nhiều lần. Hãy đợi một lát rồi thử lại.")),
    500: ("internal_error", _l("Có lỗi ở máy chủ. Hãy thử lại sau.")),
}

QUIZ_ERRORS = {
    QuizNotFound: (404, "quiz_not_found"),
    AttemptNotFound: (404, "attempt_not_found"),
    AttemptAlreadySubmitted: (409, "attempt_already_submitted"),
    InvalidAnswers: (422, "invalid"),
    RetryTooSoon: (429, "retry_later"),
}


class ApiError(Exception):
    """An error to answer with; the message is for people."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status: int, code: str, message: str, field: str | None = None):
    body = {"code": code, "message": str(message)}
    if field:
        body["field"] = field
    return jsonify(error=body), status


def _api_error(error: ApiError):
    return error_response(error.status, error.code, error.message, error.field)


def http_error_json(error: HTTPException):
    if error.response is not None:  # already answered, e.g. by a rate limit's on_breach
        return error.response
    status = error.code or 500
    code, message = HTTP_CODES.get(status, (f"http_{status}", error.description or ""))
    response, status = error_response(status, code, message)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response, status


def _quiz_error(error: QuizError):
    status, code = QUIZ_ERRORS.get(type(error), (400, "bad_request"))
    response, status = error_response(status, code, str(error), error.field)
    if isinstance(error, RetryTooSoon):
        response.headers["Retry-After"] = str(error.seconds_left)
    return response, status


def _account_error(error: AccountError):
    return error_response(422, "invalid", str(error), error.field)


def routing_error_as_json():
    """Unknown paths and methods under /api/ never reach a view: answer them as JSON here."""
    error = request.routing_exception
    if not request.path.startswith(API_PATH_PREFIX) or not isinstance(error, HTTPException):
        return None
    return http_error_json(error) if error.code in (404, 405) else None


def register_json_errors(blueprint) -> None:
    """Make every error raised in the blueprint's requests a JSON error."""
    blueprint.register_error_handler(ApiError, _api_error)
    blueprint.register_error_handler(QuizError, _quiz_error)
    blueprint.register_error_handler(AccountError, _account_error)
    blueprint.register_error_handler(HTTPException, http_error_json)
