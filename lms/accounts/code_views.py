"""First sign-in of an imported member: phone + one-time code, then a password of their own."""

import flask
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts import auth, onetime
from lms.accounts.services import AccountError, check_password_policy, hash_password
from lms.accounts.views import error_message, too_many_tries
from lms.db import session
from lms.limits import limiter
from lms.reports.landing import landing
from lms.security import account_sign_in_limit

bp = Blueprint("code_login", __name__, template_folder="templates")
MUST_SET_PASSWORD = "must_set_password"


def _code_limit() -> str:
    return current_app.config.get("LOGIN_RATE_LIMIT", "20/minute")


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_code_limit, methods=["POST"], on_breach=too_many_tries)
@account_sign_in_limit
def login_code():
    if request.method == "GET":
        return render_template("accounts/code_login.html", form={}, errors={})
    form = {name: request.form.get(name, "").strip() for name in ("phone", "code")}
    errors = {}
    if not form["phone"]:
        errors["phone"] = _("Nhập số điện thoại.")
    if not request.form.get("code", "").strip():
        errors["code"] = _("Nhập mã đăng nhập lần đầu.")
    if not errors:
        db = session()
        key = current_app.config["SECRET_KEY"]
        user = onetime.redeem_code(db, key, form["phone"], request.form.get("code", ""))
        if user is not None:
            auth.sign_in(db, user)
            flask.session[MUST_SET_PASSWORD] = True
            db.commit()
            return redirect(url_for("code_login.set_password"))
        db.commit()  # keeps the count of wrong tries
        errors["code"] = _("Số điện thoại hoặc mã không đúng, hoặc mã đã dùng hay hết hạn.")
    return render_template("accounts/code_login.html", form=form, errors=errors), 422


@bp.route("/login/code/password", methods=["GET", "POST"])
def set_password():
    if not current_user.is_authenticated or not flask.session.get(MUST_SET_PASSWORD):
        return redirect(url_for("code_login.login_code"))
    if request.method == "GET":
        return render_template("accounts/code_password.html", errors={})
    password = request.form.get("password", "")
    errors = {}
    try:
        check_password_policy(
            password, current_user.phone, current_user.login, current_user.full_name
        )
    except AccountError as error:
        errors["password"] = error_message(error)
    if not errors and password != request.form.get("confirm", ""):
        errors["confirm"] = _("Hai lần nhập mật khẩu không giống nhau.")
    if errors:
        return render_template("accounts/code_password.html", errors=errors), 422
    db = session()
    user = current_user._get_current_object()
    user.password_hash = hash_password(password)
    # A new password after a lost one: whatever session or token was copied ends here.
    auth.sign_out_everywhere(db, user, keep_this_session=True)
    db.commit()
    flask.flash(_("Đã đặt mật khẩu. Lần sau hãy đăng nhập bằng số điện thoại và mật khẩu."), "ok")
    return redirect(landing(user, "/"))
