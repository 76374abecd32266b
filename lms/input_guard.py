"""Hostile input refused at the edge, before a view or the database sees it.

- Integer path parts (`<int:…>`) match only 0 … 2³¹−1, the range of the database's integer
  ids: a larger one is a 404 like any id that does not exist, never an overflow in the driver.
- A NUL character in any form field (or an uploaded file's name) is a 400 naming it:
  PostgreSQL refuses NUL in text, and no form needs one.
- A JSON body nested deeper than Python can parse, or holding a lone surrogate ("\\ud800", which
  no UTF-8 text can carry), is a JSON decoding error, i.e. a 4xx, never a RecursionError or a
  UnicodeEncodeError later on.
"""

import re

from flask import current_app, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

from lms.security import json_error

MAX_ID = 2**31 - 1
API_PREFIX = "/api/"
# a \uD800–\uDFFF escape; only then can a decoded JSON string hold a surrogate
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class IdConverter(IntegerConverter):
    """`<int:…>` limited to the ids the database can hold (up to 2³¹−1)."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, whose `loads` raises ValueError (a 400 or 422) for a body nested too
    deeply or holding a lone surrogate."""

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError as exc:
            raise ValueError("JSON nested too deeply") from exc
        raw = s if isinstance(s, bytes) else s.encode("utf-8", "surrogatepass")
        if _SURROGATE_ESCAPE.search(raw) and _holds_surrogate(value):
            raise ValueError("JSON string with a lone surrogate")
        return value


def _holds_surrogate(value) -> bool:
    """Any string (key or value) in the decoded document with a surrogate, walked without
    recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _refuse_nul_in_forms():
    """400 for a NUL in any form field or uploaded file name."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE") or request.is_json:
        return None
    fields = request.form.items(multi=True)
    names = [f.filename or "" for _name, f in request.files.items(multi=True)]
    if not any("\x00" in key or "\x00" in value for key, value in fields) and not any(
        "\x00" in name for name in names
    ):
        return None
    message = _("Biểu mẫu có ký tự không hợp lệ (ký tự NUL). Hãy xoá ký tự đó rồi gửi lại.")
    if request.path.startswith(API_PREFIX):
        return json_error(400, "invalid_character", message)
    page = render_template("error.html", code=400, reason="bad_request", message=message)
    return current_app.response_class(page, status=400)


def init_app(app) -> None:
    """Call before any route is added: the converter is looked up when a rule is added."""
    app.url_map.converters["int"] = IdConverter
    app.json = GuardedJSONProvider(app)
    app.before_request(_refuse_nul_in_forms)
