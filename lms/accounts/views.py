"""Account pages: sign in with phone or username, register, sign out, profile, join a team."""

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.accounts import auth, identity
from lms.accounts.services import AccountError, authenticate
from lms.db import session
from lms.i18n import safe_next, vi, with_values
from lms.limits import limiter
from lms.qr import qr_svg
from lms.security import account_sign_in_limit
from lms.units.models import Team

bp = Blueprint("accounts", __name__, template_folder="templates")


def error_message(error: AccountError) -> str:
    """The service's message: services speak the request's language."""
    return str(error)


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", "20/minute")


def too_many_tries(_limit):
    return make_response(render_template("error.html", code=429, reason="too_many"), 429)


sign_in_limit = limiter.limit(_login_limit, methods=["POST"], on_breach=too_many_tries)


def signed_in() -> bool:
    return current_user.is_authenticated and not current_user.is_guest


def _to_login(next_url: str | None = None):
    return redirect(url_for("accounts.login", next=next_url or request.full_path.rstrip("?")))


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limit
@account_sign_in_limit
def login():
    target = safe_next(request.values.get("next"), url_for("courses.my_progress"))
    if signed_in():
        return redirect(target)
    if request.method == "GET":
        return render_template("accounts/login.html", next=target, errors={}, form={})
    form = {"login": request.form.get("login", "").strip()}
    errors = {}
    if not form["login"]:
        errors["login"] = _("Nhập số điện thoại hoặc tên đăng nhập.")
    if not request.form.get("password"):
        errors["password"] = _("Nhập mật khẩu.")
    db = session()
    user = None if errors else authenticate(db, form["login"], request.form["password"])
    if user is None:
        errors = errors or {"password": _("Số điện thoại, tên đăng nhập hoặc mật khẩu không đúng.")}
        page = render_template("accounts/login.html", next=target, errors=errors, form=form)
        return page, 400 if "login" in errors else 401
    auth.sign_in(db, user)
    db.commit()
    flash(with_values(_("Xin chào %(name)s!"), name=vi(user.full_name)), "ok")
    return redirect(target)


@bp.route("/register", methods=["GET", "POST"])
@sign_in_limit
def register():
    target = safe_next(request.values.get("next"), url_for("courses.my_progress"))
    if signed_in():
        return redirect(target)
    form = {name: request.form.get(name, "") for name in ("full_name", "phone")}
    if request.method == "GET":
        return render_template("accounts/register.html", next=target, errors={}, form=form)
    db = session()
    try:
        password = request.form.get("password", "")
        guest = identity.current_guest()
        user = identity.register(db, guest, form["full_name"], form["phone"], password)
    except AccountError as error:
        db.rollback()
        errors = {error.field or "full_name": error_message(error)}
        return render_template("accounts/register.html", next=target, errors=errors, form=form), 400
    auth.sign_in(db, user)
    db.commit()
    flash(_("Đã tạo tài khoản. Tiến độ học của bạn đã được giữ lại."), "ok")
    return redirect(target)


@bp.post("/logout")
def logout():
    auth.sign_out()
    flash(_("Bạn đã đăng xuất."), "ok")
    return redirect(url_for("courses.home"))


@bp.post("/logout/everywhere")
def logout_everywhere():
    """End the account's sessions on every other device; this one stays signed in."""
    if not signed_in():
        return _to_login(url_for("accounts.profile"))
    db = session()
    auth.sign_out_everywhere(db, current_user._get_current_object())
    db.commit()
    flash(_("Đã đăng xuất tài khoản trên mọi thiết bị khác."), "ok")
    return redirect(url_for("accounts.profile"))


@bp.get("/profile")
def profile():
    if not signed_in():
        return _to_login()
    team = current_user.team
    invite_url = url_for("accounts.join", code=team.invite_code, _external=True) if team else None
    invite_qr = qr_svg(invite_url, _("Mã QR mời vào %(team)s", team=team.name)) if team else None
    return render_template(
        "accounts/profile.html", team=team, invite_url=invite_url, invite_qr=invite_qr, errors={}
    )


@bp.post("/profile/team")
def join_by_code():
    if not signed_in():
        return _to_login(url_for("accounts.profile"))
    return _join(request.form.get("invite_code", ""))


def _join(code: str):
    db = session()
    try:
        team = auth.join_team(db, current_user, code)
    except AccountError as error:
        db.rollback()
        flash(error_message(error), "error")
        return redirect(url_for("accounts.profile"))
    db.commit()
    flash(with_values(_("Bạn đã vào %(team)s."), team=vi(team.name)), "ok")
    return redirect(url_for("accounts.profile"))


def _team_by_invite(code: str) -> Team | None:
    normal = auth.normalize_invite_code(code)
    return session().scalar(select(Team).where(Team.invite_code == normal)) if normal else None


@bp.get("/join/<code>")
def join(code):
    team = _team_by_invite(code)
    if team is None:
        return render_template("accounts/join.html", team=None, code=code), 404
    return render_template("accounts/join.html", team=team, code=code, signed_in=signed_in())


@bp.post("/join/<code>")
def join_confirm(code):
    if not signed_in():
        return _to_login(url_for("accounts.join", code=code))
    return _join(code)
