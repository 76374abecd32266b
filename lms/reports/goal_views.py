"""Officials' goals: a unit's target (set on its dashboard) and the monthly featured topic."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.db import session, utcnow
from lms.i18n import vi, with_values
from lms.reports import featured, services, targets
from lms.reports.pace import TargetInputError, check_target
from lms.reports.periods import vietnam_day
from lms.reports.scope import find_unit
from lms.reports.views import _page, bp, build_report, current_scope, target_context


@bp.post("/units/<code>/target")
def set_target(code):
    """Set the unit's target for a course: officials over the unit, or the admin."""
    scope, db = current_scope(), session()
    unit = find_unit(db, scope, code)
    if unit is None:
        abort(404)
    report = build_report("unit", code)
    form = {"percent": request.form.get("percent", ""), "due_on": request.form.get("due_on", "")}
    today = vietnam_day(utcnow())
    try:
        percent, due = check_target(form["percent"], form["due_on"], today)
    except TargetInputError as error:
        return _page(report, 422, **target_context(report, error, form))
    targets.set_target(db, unit, report.course, percent, due, current_user, today)
    db.commit()
    flash(
        with_values(
            _("Đã đặt chỉ tiêu %(percent)s%% cho %(unit)s đến %(due)s."),
            percent=percent,
            unit=vi(unit.name),
            due=due.strftime("%d/%m/%Y"),
        ),
        "ok",
    )
    return redirect(url_for("reports.unit", code=unit.code, course=report.course.slug))


def _admin():
    scope = current_scope()
    if not scope.everything:
        abort(403)
    return scope


@bp.route("/featured", methods=["GET", "POST"])
def featured_topics():
    """The admin picks one module of the citizen course per month for every learner's home."""
    _admin()
    db = session()
    today = vietnam_day(utcnow())
    error, status = None, 200
    if request.method == "POST":
        month, module_id = request.form.get("month", ""), request.form.get("module", "")
        try:
            featured.set_topic(db, month, module_id, current_user, today)
        except featured.FeaturedError as problem:
            error, status = problem, 422
        else:
            db.commit()
            featured.forget_cached_pages()
            flash(_("Đã lưu chủ đề nổi bật tháng %(month)s.", month=month), "ok")
            return redirect(url_for("reports.featured_topics"))
    page = render_template(
        "reports/featured.html",
        modules=featured.citizen_modules(db),
        months=featured.upcoming(db, today),
        this_month=featured.month_key(today),
        error=error,
        form=request.form,
        courses=services.courses(db),
    )
    return page, status
