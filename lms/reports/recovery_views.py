"""Giving a person a one-time code to get back into their account (from the reports)."""

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import onetime, recovery
from lms.db import session
from lms.errors import error_page
from lms.hosts import public_url_for
from lms.reports.scope import find_team
from lms.reports.views import bp, current_scope

NO_STORE = {"Cache-Control": "no-store"}


def _code_page(person, code: str, back_url: str):
    body = render_template(
        "reports/recovery_code.html",
        person=person,
        code=onetime.display_code(code),
        days=recovery.RECOVERY_DAYS,
        login_url=public_url_for("code_login.login_code"),
        back_url=back_url,
    )
    return body, 200, NO_STORE


def _give(person, back_url: str):
    db = session()
    giver = current_user._get_current_object()
    code = recovery.give_code(db, current_app.config["SECRET_KEY"], giver, person)
    db.commit()
    return _code_page(person, code, back_url)


@bp.route("/recovery", methods=["GET", "POST"])
def recovery_form():
    scope = current_scope()
    form, errors = {"phone": request.form.get("phone", "").strip()}, {}
    if request.method == "POST":
        person = recovery.find_by_phone(session(), scope, current_user, form["phone"])
        if not form["phone"]:
            errors["phone"] = _("Nhập số điện thoại của người cần lấy lại tài khoản.")
        elif person is None:
            errors["phone"] = _(
                "Không có ai với số điện thoại này trong phạm vi của bạn. "
                "Kiểm tra lại số, hoặc nhờ cán bộ cấp trên."
            )
        else:
            return _give(person, url_for("reports.recovery_form"))
    page = render_template("reports/recovery.html", form=form, errors=errors)
    return page, 422 if errors else 200, NO_STORE


@bp.post("/teams/<code>/members/<int:user_id>/code", endpoint="issue_member_code")
def issue_member_code(code, user_id):
    scope, db = current_scope(), session()
    team = find_team(db, scope, code)
    person = recovery.find_by_id(db, scope, current_user, user_id) if team else None
    if person is None or person.team_id != team.id:
        abort(404)
    if not person.phone:
        return error_page(
            422, _("Người này chưa có số điện thoại, nên không đăng nhập bằng mã được.")
        )
    return _give(person, url_for("reports.member", code=team.code, user_id=person.id))
