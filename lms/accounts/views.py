"""Account pages: sign in with phone or username, register, sign out, profile, join a team."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as flask_session
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from lms.accounts import auth
from lms.accounts.identity import register_citizen, registration_errors
from lms.accounts.phone import normalize_phone
from lms.accounts.services import AccountError, authenticate
from lms.db import session
from lms.hosts import public_url_for
from lms.i18n import current_locale, request_translations, safe_next, vi, with_values
from lms.limits import limiter
from lms.qr import qr_svg
from lms.reports.landing import landing
from lms.security import account_sign_in_limit
from lms.units.models import Team

bp = Blueprint("accounts", __name__, template_folder="templates")


REGISTERED = lazy_gettext(
    "Đã nhận đăng ký. Hãy đăng nhập bằng số điện thoại và mật khẩu vừa đặt. Nếu số này "
    "đã có tài khoản từ trước, hãy đăng nhập bằng mật khẩu của tài khoản đó, hoặc nhờ tổ "
    "công nghệ số cộng đồng giúp."
)


def error_message(error: AccountError) -> str:
    """The service's message: services speak the request's language; messages kept as
    constants (marked N_) are translated here from the catalog."""
    message = str(error)
    if current_locale() == "vi":
        return message
    return request_translations().ugettext(message)


def _login_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", "20/minute")


def too_many_tries(_limit):
    return make_response(render_template("error.html", code=429, reason="too_many"), 429)


sign_in_limit = limiter.limit(_login_limit, methods=["POST"], on_breach=too_many_tries)

JOIN_RATE_LIMIT = "10 per 10 minutes"


def _join_limit() -> str:
    return current_app.config.get("JOIN_RATE_LIMIT", JOIN_RATE_LIMIT)


def _missed_invite(response) -> bool:
    return response.status_code == 404 or bool(g.get("invite_code_missed"))


def _too_many_invite_guesses(_limit):
    message = _("Đã nhập sai mã mời quá nhiều lần. Hãy đợi ít phút rồi thử lại.")
    return make_response(
        render_template("error.html", code=429, reason="too_many", message=message), 429
    )


# Wrong invite codes per address, counted together on /join/<code> and the profile form.
invite_guess_limit = limiter.shared_limit(
    _join_limit,
    scope="invite-code",
    deduct_when=_missed_invite,
    on_breach=_too_many_invite_guesses,
)


def signed_in() -> bool:
    return current_user.is_authenticated and not current_user.is_guest


def _to_login(next_url: str | None = None):
    return redirect(url_for("accounts.login", next=next_url or request.full_path.rstrip("?")))


def _requested_next() -> str:
    """Where the person asked to go back to; "" for nowhere in particular (no address, one
    off-site, or the home page the header's sign-in link carries from there), which leads
    to their landing."""
    target = safe_next(request.values.get("next"), "")
    return "" if target == url_for("courses.home") else target


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limit
@account_sign_in_limit
def login():
    target = _requested_next()
    if signed_in():
        return redirect(target or landing(current_user, url_for("courses.my_progress")))
    if request.method == "GET":
        form = {"login": flask_session.pop("login_hint", "")}
        return render_template("accounts/login.html", next=target, errors={}, form=form)
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
    return redirect(target or landing(user, url_for("courses.my_progress")))


@bp.route("/register", methods=["GET", "POST"])
@sign_in_limit
def register():
    """Register, then sign in. A phone that already has an account gets exactly the answer
    a new one gets (to the sign-in page, the same message), so the form tells nobody
    which numbers have accounts; the owner signs in with their own password."""
    target = safe_next(request.values.get("next"), url_for("courses.my_progress"))
    if signed_in():
        return redirect(target)
    form = {name: request.form.get(name, "") for name in ("full_name", "phone")}
    if request.method == "GET":
        return render_template("accounts/register.html", next=target, errors={}, form=form)
    db = session()
    password = request.form.get("password", "")
    problems = registration_errors(form["full_name"], form["phone"], password)
    if not problems:
        try:
            register_citizen(db, form["full_name"], form["phone"], password)
        except AccountError as error:
            problems = [error]
    if problems:
        db.rollback()
        errors = {problem.field or "full_name": error_message(problem) for problem in problems}
        return render_template("accounts/register.html", next=target, errors=errors, form=form), 400
    db.commit()
    flask_session["login_hint"] = normalize_phone(form["phone"])
    flash(REGISTERED, "ok")
    return redirect(url_for("accounts.login", next=target), code=303)


@bp.post("/logout")
def logout():
    db = session()
    auth.sign_out(db)
    db.commit()
    flash(_("Bạn đã đăng xuất."), "ok")
    return redirect(url_for("courses.home"))


@bp.post("/logout/everywhere")
def logout_everywhere():
    """End the account's sessions on every other device; this one stays signed in."""
    if not signed_in():
        return _to_login(url_for("accounts.profile"))
    db = session()
    revoked = auth.sign_out_everywhere(db, current_user._get_current_object())
    db.commit()
    flash(_("Đã đăng xuất tài khoản trên mọi thiết bị khác."), "ok")
    if revoked:
        flash(_("Các mã API của tài khoản cũng đã bị thu hồi: hãy tạo mã mới khi cần."), "ok")
    return redirect(url_for("accounts.profile"))


@bp.get("/profile")
def profile():
    if not signed_in():
        return _to_login()
    return _profile_page()


def _profile_page(errors=None, form=None, status=200):
    team = current_user.team
    invite_url = public_url_for("accounts.join", code=team.invite_code) if team else None
    invite_qr = qr_svg(invite_url, _("Mã QR mời vào %(team)s", team=team.name)) if team else None
    page = render_template(
        "accounts/profile.html",
        team=team,
        invite_url=invite_url,
        invite_qr=invite_qr,
        errors=errors or {},
        form=form or {},
    )
    return page, status


@bp.post("/profile/team")
@invite_guess_limit
def join_by_code():
    """Join with a typed invite code; a wrong one is explained next to the field, kept."""
    if not signed_in():
        return _to_login(url_for("accounts.profile"))
    typed = request.form.get("invite_code", "").strip()
    db = session()
    try:
        team = auth.join_team(db, current_user, typed)
    except AccountError as error:  # refused before anything changed; nothing is committed
        g.invite_code_missed = True  # a wrong code counts against the guesses allowed
        return _profile_page({"invite_code": error_message(error)}, {"invite_code": typed}, 422)
    db.commit()
    flash(with_values(_("Bạn đã vào %(team)s."), team=vi(team.name)), "ok")
    return redirect(url_for("accounts.profile"))


def _join(code: str):
    db = session()
    try:
        team = auth.join_team(db, current_user, code)
    except AccountError as error:
        db.rollback()
        g.invite_code_missed = True
        flash(error_message(error), "error")
        return redirect(url_for("accounts.profile"))
    db.commit()
    flash(with_values(_("Bạn đã vào %(team)s."), team=vi(team.name)), "ok")
    return redirect(url_for("accounts.profile"))


def _team_by_invite(code: str) -> Team | None:
    normal = auth.normalize_invite_code(code)
    return session().scalar(select(Team).where(Team.invite_code == normal)) if normal else None


@bp.get("/join/<code>")
@invite_guess_limit
def join(code):
    team = _team_by_invite(code)
    if team is None:
        return render_template("accounts/join.html", team=None, code=code), 404
    return render_template("accounts/join.html", team=team, code=code, signed_in=signed_in())


@bp.post("/join/<code>")
@invite_guess_limit
def join_confirm(code):
    if not signed_in():
        return _to_login(url_for("accounts.join", code=code))
    return _join(code)
