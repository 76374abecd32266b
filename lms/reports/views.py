"""Report pages: a unit's children, a team's members, a member's modules, and exports."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.db import session, utcnow
from lms.i18n import current_locale
from lms.reports import exports, figures, members, services, targets
from lms.reports.charts import Bar, bar_chart
from lms.reports.periods import vietnam_day
from lms.reports.scope import Scope, find_member, find_team, find_unit, scope_for
from lms.reports.tables import COLUMNS, SORT_KEYS

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class BadRequest(Exception):
    """A query parameter the page cannot use; the message names it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def current_scope() -> Scope:
    """The signed-in person's scope; 401 to sign in, 403 when they see no report."""
    if not current_user.is_authenticated:
        abort(401)
    scope = scope_for(current_user)
    if scope is None:
        abort(403)
    return scope


def _threshold() -> float | None:
    raw = request.args.get("below", "").strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise BadRequest(_("Ngưỡng (below) phải là một số từ 0 đến 100."), "below")
    return value


def report_options() -> dict:
    """sort, order and below from the query string, checked."""
    sort = request.args.get("sort", "name")
    if sort not in SORT_KEYS:
        raise BadRequest(_("Không sắp xếp được theo '%(sort)s'.", sort=sort), "sort")
    order = request.args.get("order", "asc")
    if order not in ("asc", "desc"):
        raise BadRequest(_("Thứ tự (order) phải là asc hoặc desc."), "order")
    return {"sort": sort, "descending": order == "desc", "threshold": _threshold()}


def build_report(kind: str, code: str) -> services.Report:
    """The arranged report of a unit or team in the current scope, else 404."""
    scope, db = current_scope(), session()
    options = report_options()
    try:
        course = services.choose_course(db, request.args.get("course") or None)
    except services.ReportError as error:
        raise BadRequest(str(error), error.field) from error
    build = services.unit_report if kind == "unit" else services.team_report
    report = build(db, scope, code, course)
    if report is None:
        abort(404)
    return services.arrange(report, **options)


@bp.errorhandler(BadRequest)
def _bad_request(error: BadRequest):
    return render_template("reports/problem.html", message=str(error), field=error.field), 400


@bp.get("")
@bp.get("/")
def home():
    kind, code = current_scope().home
    endpoint = "reports.unit" if kind == "unit" else "reports.team"
    return redirect(url_for(endpoint, code=code))


def target_context(report: services.Report, error=None, form=None) -> dict:
    """The unit's target and pace (unit pages), or the team's share link (team pages)."""
    if report.place.kind == "team":
        from lms.contributions.views import share_links

        team = find_team(session(), current_scope(), report.place.code)
        return {"team_share": share_links(team)[0]}
    if report.place.kind != "unit":
        return {}
    db = session()
    unit = find_unit(db, current_scope(), report.place.code)
    status = targets.target_status(db, unit, report.course, vietnam_day(utcnow()))
    return {"target": status, "target_error": error, "target_form": form or {}}


def _page(report: services.Report, status: int = 200, **extra):
    chart = bar_chart(
        [Bar(row.name, row.completion_percent) for row in report.rows if row.has_team],
        _("Tỉ lệ hoàn thành — %(place)s", place=report.place.name),
        report.threshold,
        current_locale(),
    )
    query = {k: v for k, v in request.args.items() if v}
    return render_template(
        "reports/report.html",
        report=report,
        columns=COLUMNS,
        chart=Markup(chart),
        courses=services.courses(session()),
        query=query,
        scope=current_scope(),
        **(extra or target_context(report)),
    ), status


@bp.get("/units/<code>")
def unit(code):
    return _page(build_report("unit", code))


@bp.get("/teams/<code>")
def team(code):
    return _page(build_report("team", code))


def _export(report: services.Report, kind: str):
    if kind not in EXPORT_TYPES:
        abort(404)
    rows = exports.export_rows(report.rows, report.totals)
    name = f"bao-cao-{report.place.code}-{report.course.slug}.{kind}"
    body = exports.to_csv(rows) if kind == "csv" else exports.to_xlsx(rows, report.place.name)
    response = Response(body, content_type=EXPORT_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/units/<code>/export.<kind>")
def unit_export(code, kind):
    return _export(build_report("unit", code), kind)


@bp.get("/teams/<code>/export.<kind>")
def team_export(code, kind):
    return _export(build_report("team", code), kind)


@bp.get("/teams/<code>/members/<int:user_id>")
def member(code, user_id):
    scope, db = current_scope(), session()
    found = find_team(db, scope, code)
    person = find_member(db, scope, found, user_id) if found else None
    if person is None:
        abort(404)
    try:
        course = services.choose_course(db, request.args.get("course") or None)
    except services.ReportError as error:
        raise BadRequest(str(error), error.field) from error
    modules = members.member_modules(db, person, course)
    return render_template(
        "reports/member.html", team=found, member=person, course=course, modules=modules
    )


@bp.errorhandler(401)
def _sign_in(_error):
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


@bp.errorhandler(403)
def _forbidden(_error):
    message = _("Trang báo cáo dành cho cán bộ, quản trị viên và tổ trưởng.")
    return render_template("error.html", code=403, reason="forbidden", message=message), 403


@bp.app_template_filter("combine_query")
def combine_query(query: dict, **changes) -> str:
    """The query string with some parameters replaced."""
    from urllib.parse import urlencode

    merged = {**query, **changes}
    return urlencode({key: value for key, value in merged.items() if value not in (None, "")})


@bp.app_template_filter("number")
def number_filter(value) -> str:
    """A count in the reader's locale ('1.234' or '1,234')."""
    return figures.number(value, current_locale())


@bp.app_template_filter("percent")
def percent_filter(value) -> str:
    """A 0..100 percentage in the reader's locale ('15,6 %' or '15.6%')."""
    return figures.percentage(value, current_locale())


@bp.app_template_filter("vietnam_time")
def vietnam_time_filter(moment) -> str:
    """A UTC time as the time in Vietnam."""
    return figures.vietnam_time(moment, current_locale())
