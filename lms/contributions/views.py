"""Share links (/t/<code>), a member's share page, and the assisted-session form."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.contributions import referrals, services
from lms.contributions.steps import STEPS, check_session
from lms.db import session, utcnow
from lms.hosts import public_url_for
from lms.i18n import vi, with_values
from lms.qr import qr_svg
from lms.reports.periods import vietnam_day

bp = Blueprint("contributions", __name__, template_folder="templates")


@bp.get("/t/<code>")
def follow(code):
    """A share link: remember the team for a newcomer, then start learning."""
    team = referrals.team_for_code(session(), code)
    if team is None:
        abort(404)
    referrals.remember(team)
    return redirect(url_for("courses.home"))


def _member_team(code: str):
    """The team of the signed-in member with this code; sign in first, else 404."""
    if not current_user.is_authenticated:
        return None
    team = services.team_of_member(session(), current_user, code)
    if team is None:
        abort(404)
    return team


def _to_login():
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def share_links(team, member=None) -> list[dict]:
    """The team's link and (for a member) their personal link, each with its QR code."""
    links = [
        (
            "team",
            referrals.team_code(team),
            with_values(_("Đường dẫn của %(team)s"), team=vi(team.name)),
        )
    ]
    if member is not None:
        links.append(
            ("member", referrals.member_code(member), with_values(_("Đường dẫn của riêng bạn")))
        )
    shown = []
    for kind, code, label in links:
        url = public_url_for("contributions.follow", code=code)
        shown.append(
            {
                "kind": kind,
                "label": label,
                "url": url,
                "qr": qr_svg(url, _("Mã QR: %(label)s", label=label.striptags())),
            }
        )
    return shown


@bp.get("/teams/<code>/share")
def share(code):
    team = _member_team(code)
    if team is None:
        return _to_login()
    db = session()
    return render_template(
        "contributions/share.html",
        team=team,
        links=share_links(team, current_user),
        figures=services.team_contribution(db, team),
        mine=services.member_sessions(db, current_user, team),
    )


def _form_page(team, form, errors, status=200):
    page = render_template(
        "contributions/assisted.html",
        team=team,
        steps=STEPS,
        form=form,
        errors=errors,
        today=vietnam_day(utcnow()).isoformat(),
    )
    return page, status


@bp.get("/teams/<code>/assisted")
def assisted_form(code):
    team = _member_team(code)
    if team is None:
        return _to_login()
    return _form_page(team, {"steps": []}, {})


@bp.post("/teams/<code>/assisted")
def assisted_record(code):
    team = _member_team(code)
    if team is None:
        return _to_login()
    raw = {
        "consent": request.form.get("consent") == "yes",
        "citizen_name": request.form.get("citizen_name", ""),
        "citizen_phone": request.form.get("citizen_phone", ""),
        "held_on": request.form.get("held_on", ""),
        "steps": request.form.getlist("steps"),
    }
    today = vietnam_day(utcnow())
    form = check_session(
        raw["consent"],
        raw["citizen_name"],
        raw["citizen_phone"],
        raw["held_on"],
        raw["steps"],
        today,
    )
    if form.errors:
        return _form_page(team, raw, form.errors, 422)
    db = session()
    services.record_session(db, current_user, team, form)
    db.commit()
    flash(_("Đã lưu buổi hỗ trợ. Cảm ơn bạn!"), "ok")
    return redirect(url_for("contributions.share", code=team.code))
