"""/reports/honours: child units and teams ranked by completion and by contribution."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.db import session, utcnow
from lms.reports import honours_services, services
from lms.reports.honours import MEASURES, ranked
from lms.reports.periods import PERIOD_KEYS, PERIODS, period_start, vietnam_day
from lms.reports.views import BadRequest, bp, current_scope

TOP_SHOWN = 10
QUERY = ("period", "course")  # what the honours page reads from its query


@bp.get("/honours")
def honours_home():
    scope = current_scope()
    kind, code = scope.home
    if kind != "unit":
        abort(403)
    # only the page's own arguments: url_for would take `code`, `_method`, `_external`... as its own
    kept = {name: request.args[name] for name in QUERY if request.args.get(name)}
    return redirect(url_for("reports.honours", code=code, **kept))


@bp.get("/honours/<code>")
def honours(code):
    scope, db = current_scope(), session()
    period = request.args.get("period", "month")
    if period not in PERIOD_KEYS:
        raise BadRequest(
            _("Khoảng thời gian (period) '%(period)s' không có.", period=period[:20]), "period"
        )
    try:
        course = services.choose_course(db, request.args.get("course") or None)
    except services.ReportError as error:
        raise BadRequest(str(error), error.field) from error
    today = vietnam_day(utcnow())
    start = period_start(period, today)
    found = honours_services.honours(db, scope, code, course, start)
    if found is None:
        abort(404)
    rankings = [(label, ranked(found.children, measure), measure) for measure, label in MEASURES]
    team_rankings = [
        (label, ranked(found.teams, measure)[:TOP_SHOWN], measure) for measure, label in MEASURES
    ]
    return render_template(
        "reports/honours.html",
        found=found,
        course=course,
        courses=services.courses(db),
        period=period,
        periods=PERIODS,
        start=start,
        today=today,
        rankings=rankings,
        team_rankings=team_rankings if found.teams else [],
    )
