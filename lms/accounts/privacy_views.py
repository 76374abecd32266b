"""A signed-in learner's own data: download it as JSON, or delete the account."""

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.accounts import auth, privacy
from lms.accounts.services import AccountError
from lms.certificates.web import signed_in_user
from lms.db import session

bp = Blueprint("privacy", __name__)
DOWNLOAD_NAME = "hocso-du-lieu-cua-toi.json"


def data_download(data: dict) -> Response:
    """The JSON as an attachment, never cached."""
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{DOWNLOAD_NAME}"',
            "Cache-Control": "no-store",
        },
    )


def _message(error: AccountError) -> str:
    """The refusal in the page's language (the service speaks Vietnamese)."""
    if isinstance(error, privacy.NotDeletable):
        return _("Tài khoản cán bộ và quản trị viên do quản trị viên xoá, không tự xoá được.")
    return _("Mật khẩu không đúng.")


def _to_login(target: str):
    return redirect(url_for("accounts.login", next=target))


@bp.get("/me/data.json")
def my_data():
    user = signed_in_user()
    if user is None:
        return _to_login(url_for("privacy.my_data"))
    return data_download(privacy.export_data(session(), user))


@bp.route("/me/delete", methods=["GET", "POST"])
def delete_me():
    user = signed_in_user()
    if user is None:
        return _to_login(url_for("privacy.delete_me"))
    deletable = user.role in privacy.SELF_SERVICE_ROLES
    if request.method == "GET":
        return render_template("accounts/privacy_delete.html", errors={}, deletable=deletable)
    db = session()
    try:
        privacy.delete_account(db, user, request.form.get("password", ""))
    except AccountError as error:  # refused before anything was written
        errors = {error.field or "password": _message(error)}
        page = render_template("accounts/privacy_delete.html", errors=errors, deletable=deletable)
        return page, 403 if isinstance(error, privacy.NotDeletable) else 400
    auth.sign_out(db)
    db.commit()
    flash(_("Tài khoản của bạn đã được xoá."), "ok")
    return redirect(url_for("courses.home"), code=303)
