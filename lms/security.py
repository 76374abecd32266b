"""Request hardening in one place: security headers on every response, CSRF on API writes
that a cookie authenticates, the upload size limit, and the sign-in limit per account.

CSRFProtect itself lives in lms/web.py; it asks `bearer_request()` which API writes are exempt.
"""

import hashlib
import hmac

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _

from lms.accounts.auth import token_user
from lms.accounts.phone import normalize_phone
from lms.limits import limiter

API_PREFIX = "/api/"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000; includeSubDomains"
ACCOUNT_SIGN_IN_LIMIT = "10 per 15 minutes"


def bearer_request() -> bool:
    """An API request that a valid Bearer token authenticated: browsers never add one by
    themselves. A Bearer header with no valid token behind it exempts nothing."""
    return request.path.startswith(API_PREFIX) and token_user() is not None


def json_error(status: int, code: str, message: str, field: str | None = None):
    """The API's error shape, {"error": {"code", "message", "field"?}}, as a response."""
    error = {"code": code, "message": message}
    if field:
        error["field"] = field
    response = jsonify(error=error)
    response.status_code = status
    return response


def csrf_failed_json():
    return json_error(
        400,
        "csrf_failed",
        _(
            "Thiếu hoặc sai mã chống giả mạo (X-CSRFToken). "
            "Lấy mã ở GET /api/v1/auth/csrf rồi gửi lại."
        ),
    )


def _security_headers(response):
    """Add each header the response does not set itself (one pass over its headers)."""
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    wanted = HEADERS.items()
    if current_app.config.get("LMS_ENV") == "production":
        wanted = [*wanted, ("Strict-Transport-Security", HSTS)]
    headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    return response


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{round(size / 1000)} KB"


def _too_large(_error):
    """413 naming the limit: the whole request, or one form field kept in memory."""
    whole = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    sent = request.content_length or 0
    if whole and sent > whole:
        message = _("Dữ liệu gửi lên quá lớn: tối đa %(size)s.", size=_size(whole))
    else:
        field = current_app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000
        message = _("Một ô của biểu mẫu quá dài: tối đa %(size)s.", size=_size(field))
    if request.path.startswith(API_PREFIX):
        return json_error(413, "too_large", message)
    return render_template("error.html", code=413, reason="too_large", message=message), 413


def _sign_in_account() -> str:
    """The account a sign-in names (phone or login), as an HMAC: no number is kept in Redis."""
    if request.is_json:
        body = request.get_json(silent=True)
        values = body if isinstance(body, dict) else {}
    else:
        values = request.form
    raw = str(values.get("login") or values.get("phone") or "").strip()
    name = normalize_phone(raw) or raw.lower()
    key = str(current_app.config["SECRET_KEY"]).encode()
    return "account:" + hmac.new(key, name.encode(), hashlib.sha256).hexdigest()[:32]


def _account_limit() -> str:
    return current_app.config.get("ACCOUNT_SIGN_IN_LIMIT", ACCOUNT_SIGN_IN_LIMIT)


def _failed(response) -> bool:
    return response.status_code >= 400


def _account_locked(_limit):
    message = _(
        "Đã nhập sai quá nhiều lần cho số điện thoại hoặc tên đăng nhập này. "
        "Hãy đợi ít phút rồi thử lại."
    )
    if request.path.startswith(API_PREFIX):
        return json_error(429, "too_many_failures", message, "login")
    page = render_template("error.html", code=429, reason="too_many", message=message)
    return current_app.response_class(page, status=429)


# Failed sign-ins per account, counted together on the page, the API and the one-time code
# (in Redis when REDIS_URL is set); a successful sign-in costs nothing.
account_sign_in_limit = limiter.shared_limit(
    _account_limit,
    scope="sign-in-account",
    key_func=_sign_in_account,
    methods=["POST"],
    deduct_when=_failed,
    on_breach=_account_locked,
)


def _refuse_nul_bytes():
    """A NUL character in the path or query is never meaningful, and PostgreSQL rejects it
    in any text value: answer 400 here rather than fail deeper down."""
    if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
        message = _("Địa chỉ có ký tự không hợp lệ.")
        if request.path.startswith(API_PREFIX):
            return json_error(400, "invalid_character", message)
        page = render_template("error.html", code=400, reason="bad_request", message=message)
        return current_app.response_class(page, status=400)
    return None


def init_app(app) -> None:
    app.config.setdefault("ACCOUNT_SIGN_IN_LIMIT", ACCOUNT_SIGN_IN_LIMIT)
    app.before_request(_refuse_nul_bytes)
    # flask-login's remember-me cookie gets the session cookie's flags.
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config["SESSION_COOKIE_SECURE"])
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.after_request(_security_headers)
    app.register_error_handler(413, _too_large)
