"""The signed-in learner's own data as JSON, and deleting the account (password required)."""

from flask_babel import gettext as _

from lms.accounts import auth, privacy
from lms.accounts.privacy_views import data_download
from lms.api.blueprint import bp
from lms.api.errors import ApiError
from lms.api.openapi import body, errors, ok, operation, ref
from lms.api.payload import json_object, text_field
from lms.certificates.web import signed_in_user
from lms.db import session


def _signed_in():
    user = signed_in_user()
    if user is None:
        raise ApiError(401, "unauthorized", _("Cần đăng nhập."))
    return user


@bp.get("/me/data")
def my_data():
    return data_download(privacy.export_data(session(), _signed_in()))


@bp.delete("/me")
def delete_me():
    user = _signed_in()
    password = text_field(json_object(), "password")
    db = session()
    try:
        privacy.delete_account(db, user, password)
    except privacy.NotDeletable as error:
        raise ApiError(403, "forbidden", str(error), error.field) from error
    auth.sign_out(db)
    db.commit()
    return "", 204


_TIME = {"type": ["string", "null"], "format": "date-time"}
_PLACE = {
    "type": ["object", "null"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}
_ITEMS = {"type": "array", "items": {"type": "object"}}

SCHEMAS = {
    "MyData": {
        "type": "object",
        "required": ["profile", "lessons", "modules", "courses", "attempts", "certificates"],
        "properties": {
            "exported_at": _TIME,
            "profile": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "full_name": {"type": "string"},
                    "phone": {"type": ["string", "null"]},
                    "login": {"type": ["string", "null"]},
                    "role": {"type": "string"},
                    "locale": {"type": ["string", "null"]},
                    "team": _PLACE,
                    "unit": _PLACE,
                    "referred_by_team": _PLACE,
                    "created_at": _TIME,
                    "last_active_at": _TIME,
                },
            },
            "lessons": _ITEMS,
            "modules": _ITEMS,
            "courses": _ITEMS,
            "attempts": _ITEMS,
            "certificates": _ITEMS,
            "assisted_sessions": _ITEMS,
        },
    },
    "Password": {
        "type": "object",
        "required": ["password"],
        "properties": {"password": {"type": "string"}},
    },
}

PATHS = {
    "/me/data": {
        "get": operation(
            "Tải toàn bộ dữ liệu của tôi: hồ sơ, tiến độ, bài kiểm tra, chứng nhận, buổi hỗ trợ",
            "me",
            {
                "200": ok(
                    "Dữ liệu của người đang đăng nhập", {"$ref": "#/components/schemas/MyData"}
                ),
                **errors(401),
            },
        )
    },
    "/me": {
        "delete": operation(
            "Xoá tài khoản của tôi (cần mật khẩu); chứng nhận đã cấp vẫn xác minh được",
            "me",
            {"204": ok("Đã xoá"), **errors(401, 403, 422)},
            requestBody=body(ref("Password")),
        )
    },
}
