"""Registering, signing in (both keep a guest's progress) and signing out."""

from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms import web
from lms.accounts import auth, identity
from lms.accounts.services import authenticate
from lms.api.blueprint import bp
from lms.api.errors import ApiError
from lms.api.openapi import body, errors, ok, operation, ref
from lms.api.payload import json_object, text_field
from lms.db import session
from lms.limits import limiter
from lms.security import account_sign_in_limit, bearer_request

AUTH_LIMIT = "10 per minute"
REGISTERED_MESSAGE = _l(
    "Đã nhận đăng ký. Hãy đăng nhập (POST /api/v1/auth/login) bằng số điện thoại và mật "
    "khẩu vừa đặt; nếu số này đã có tài khoản từ trước, hãy dùng mật khẩu của tài khoản đó."
)


def user_json(user) -> dict:
    team = user.team
    return {
        "id": user.id,
        "full_name": user.full_name,
        "phone": user.phone,
        "login": user.login,
        "role": user.role,
        "team": team and {"code": team.code, "name": team.name},
    }


@bp.post("/auth/register")
@limiter.limit(AUTH_LIMIT)
def register():
    body = json_object()
    fields = [text_field(body, name) for name in ("full_name", "phone", "password")]
    if current_user.is_authenticated:
        raise ApiError(409, "already_signed_in", _("Bạn đang đăng nhập. Hãy đăng xuất trước."))
    db = session()
    identity.register_citizen(db, *fields)
    db.commit()
    # The same answer whether the phone is new or already has an account: no enumeration.
    return jsonify(status="sign_in", message=str(REGISTERED_MESSAGE)), 202


@bp.post("/auth/login")
@limiter.limit(AUTH_LIMIT)
@account_sign_in_limit
def login():
    body = json_object()
    login_name, password = text_field(body, "login"), text_field(body, "password")
    db = session()
    user = authenticate(db, login_name, password)
    if user is None:
        raise ApiError(
            401, "invalid_credentials", _("Sai số điện thoại, tên đăng nhập hoặc mật khẩu.")
        )
    auth.sign_in(db, user)
    db.commit()
    return jsonify(user=user_json(user))


@bp.post("/auth/logout")
def logout():
    db = session()
    auth.sign_out(db)
    db.commit()
    return "", 204


@bp.post("/auth/logout-everywhere")
def logout_everywhere():
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", _("Cần đăng nhập."))
    db = session()
    user = current_user._get_current_object()
    auth.sign_out_everywhere(db, user, keep_this_session=not bearer_request())
    db.commit()
    return "", 204


@bp.get("/auth/csrf")
def csrf_token():
    """The token that cookie-authenticated writes send back in the X-CSRFToken header."""
    response = jsonify(csrf_token=web.csrf_token())
    response.headers["Cache-Control"] = "no-store"
    return response


def _strings(*names: str) -> dict:
    return {
        "type": "object",
        "required": list(names),
        "properties": {name: {"type": "string"} for name in names},
    }


SCHEMAS = {
    "CsrfToken": _strings("csrf_token"),
    "Registration": _strings("full_name", "phone", "password"),
    "RegistrationReceived": {
        "type": "object",
        "description": "Cùng một câu trả lời cho số mới và số đã có tài khoản; tiếp theo là "
        "đăng nhập.",
        "required": ["status", "message"],
        "properties": {"status": {"const": "sign_in"}, "message": {"type": "string"}},
    },
    "Credentials": _strings("login", "password"),
    "User": {
        "type": "object",
        "properties": {
            "user": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "full_name": {"type": "string"},
                    "phone": {"type": ["string", "null"]},
                    "login": {"type": ["string", "null"]},
                    "role": {"type": "string"},
                    "team": {
                        "type": ["object", "null"],
                        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                    },
                },
            }
        },
    },
}

PATHS = {
    "/auth/register": {
        "post": operation(
            "Đăng ký tài khoản người dân (giữ tiến độ khi còn là khách), rồi đăng nhập. Số đã "
            "có tài khoản nhận đúng câu trả lời này và không thay đổi gì",
            "auth",
            {
                "202": ok("Đã nhận; hãy đăng nhập", ref("RegistrationReceived")),
                **errors(409, 422, 429),
            },
            requestBody=body(ref("Registration")),
        )
    },
    "/auth/login": {
        "post": operation(
            "Đăng nhập bằng số điện thoại hoặc tên đăng nhập; gộp tiến độ khi là khách",
            "auth",
            {"200": ok("Đã đăng nhập", ref("User")), **errors(401, 422, 429)},
            requestBody=body(ref("Credentials")),
        )
    },
    "/auth/logout": {
        "post": operation("Đăng xuất", "auth", {"204": ok("Đã đăng xuất")}),
    },
    "/auth/logout-everywhere": {
        "post": operation(
            "Đăng xuất trên mọi thiết bị khác (mọi phiên cũ hết hiệu lực; phiên này được cấp mới)",
            "auth",
            {"204": ok("Đã đăng xuất ở mọi nơi khác"), **errors(401)},
        ),
    },
    "/auth/csrf": {
        "get": operation(
            "Mã chống giả mạo: gửi lại trong header X-CSRFToken khi ghi bằng cookie phiên",
            "auth",
            {"200": ok("Mã CSRF", ref("CsrfToken"))},
        ),
    },
}
