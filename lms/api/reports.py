"""Report API: the same figures as the report pages, for officials' own tools.

Sign in with a session cookie or `Authorization: Bearer <token>` (tokens are made on
/reports/tokens); a token carries its owner's scope.
"""

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from lms.api.blueprint import bp
from lms.api.errors import ApiError
from lms.api.openapi import errors, ok, operation, path_params, ref
from lms.db import session
from lms.reports import services
from lms.reports.scope import scope_for


def _report(kind: str, code: str) -> services.Report:
    if not current_user.is_authenticated:
        raise ApiError(401, "unauthorized", _("Cần đăng nhập hoặc mã API (Bearer)."))
    scope = scope_for(current_user)
    if scope is None:
        raise ApiError(403, "forbidden", _("Báo cáo dành cho cán bộ, quản trị viên và tổ trưởng."))
    db = session()
    try:
        course = services.choose_course(db, request.args.get("course") or None)
    except services.ReportError as error:
        raise ApiError(422, "invalid", str(error), error.field) from error
    build = services.unit_report if kind == "unit" else services.team_report
    report = build(db, scope, code, course)
    if report is None:
        raise ApiError(404, "not_found", _NOT_IN_SCOPE[kind](code))
    db.commit()  # a Bearer token's last use (and it ends the transaction either way)
    return report


_NOT_IN_SCOPE = {
    "unit": lambda code: _("Không có đơn vị mã '%(code)s' trong phạm vi của bạn.", code=code),
    "team": lambda code: _("Không có tổ mã '%(code)s' trong phạm vi của bạn.", code=code),
}


def report_json(report: services.Report, place_key: str) -> dict:
    place = report.place
    return {
        place_key: {"code": place.code, "name": place.name, "level": place.level},
        "course": {"slug": report.course.slug, "title": report.course.title},
        "rows": [row.to_json() for row in report.rows],
        "totals": {k: v for k, v in report.totals.to_json().items() if k not in ("kind",)},
        "as_of": report.as_of.isoformat() + "Z" if report.as_of else None,
    }


@bp.get("/units/<code>/report")
def unit_report(code):
    return jsonify(report_json(_report("unit", code), "unit"))


@bp.get("/teams/<code>/report")
def team_report(code):
    return jsonify(report_json(_report("team", code), "team"))


_COUNTS = {
    "members": {"type": "integer"},
    "started": {"type": "integer"},
    "completed": {"type": "integer"},
    "completion_percent": {"type": "number", "description": "completed / members × 100"},
    "quiz_pass_rate": {
        "type": ["number", "null"],
        "description": "Phần trăm lượt làm bài kiểm tra đạt; null khi chưa có lượt nào",
    },
    "active_30d": {"type": "integer", "description": "Thành viên có học trong 30 ngày"},
    "reached": {
        "type": "integer",
        "description": "Người dân bắt đầu học qua đường dẫn chia sẻ của tổ (mọi khoá)",
    },
    "learned": {"type": "integer", "description": "Trong số đó, người đã học ít nhất một bài"},
    "sessions": {"type": "integer", "description": "Buổi hỗ trợ người dân tại nhà"},
    "steps": {"type": "integer", "description": "Bước thực tế đã làm cùng người dân"},
}
_PLACE = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "level": {"type": "string"},
    },
}

SCHEMAS = {
    "ReportRow": {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["unit", "team", "member"]},
            "code": {"type": "string"},
            "name": {"type": "string"},
            **_COUNTS,
        },
    },
    "Report": {
        "type": "object",
        "properties": {
            "unit": _PLACE,
            "team": _PLACE,
            "course": {
                "type": "object",
                "properties": {"slug": {"type": "string"}, "title": {"type": "string"}},
            },
            "rows": {"type": "array", "items": ref("ReportRow")},
            "totals": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}, **_COUNTS},
            },
            "as_of": {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "Lần tính active_30d gần nhất (các số khác là tức thời)",
            },
        },
    },
}

_COURSE = {
    "name": "course",
    "in": "query",
    "required": False,
    "schema": {"type": "string"},
    "description": "Khoá học (slug); mặc định là khoá cho thành viên Tổ",
}

PATHS = {
    "/units/{code}/report": {
        "get": operation(
            "Báo cáo một đơn vị (mã VN: toàn quốc): mỗi đơn vị con hoặc mỗi tổ một dòng",
            "reports",
            {"200": ok("Báo cáo", ref("Report")), **errors(401, 403, 404, 422)},
            parameters=[*path_params("code"), _COURSE],
        )
    },
    "/teams/{code}/report": {
        "get": operation(
            "Báo cáo một tổ: mỗi thành viên một dòng (kind = member)",
            "reports",
            {"200": ok("Báo cáo", ref("Report")), **errors(401, 403, 404, 422)},
            parameters=[*path_params("code"), _COURSE],
        )
    },
}
