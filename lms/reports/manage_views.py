"""Officials' tools beside the reports: member import, one-time code sheets, API tokens."""

from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.accounts import onetime, tokens
from lms.accounts.imports import (
    COLUMNS,
    MembersRejected,
    import_members,
    record_import,
)
from lms.accounts.services import AccountError
from lms.audit import services as audit
from lms.db import session
from lms.hosts import public_url_for
from lms.reports.scope import find_team
from lms.reports.services import team_members
from lms.reports.views import bp, current_scope
from lms.tabular import TableError, read_table


def _official_scope():
    """Import and tokens are for officials and admins (a scope over units), else 403."""
    scope = current_scope()
    if not (scope.everything or scope.unit_code):
        abort(403)
    return scope


@bp.route("/import", methods=["GET", "POST"], endpoint="import_members")
def import_members_page():
    scope = _official_scope()
    if request.method == "GET":
        return render_template("accounts/import_members.html", columns=COLUMNS)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_failed([_("Chưa chọn tệp danh sách.")])
    db = session()
    try:
        rows = read_table(Path(upload.filename).name, upload.read(), COLUMNS)
        result = import_members(db, scope, rows)
    except TableError as error:
        return _import_failed([str(error)])
    except MembersRejected as rejected:
        return _import_failed([], rejected.errors, rejected.invite_teams)
    record_import(db, current_user, result, "web")
    db.commit()
    return render_template("accounts/import_done.html", result=result)


def _import_failed(messages: list[str], row_errors=(), invite_teams=()):
    invites = [
        (team, public_url_for("accounts.join", code=team.invite_code)) for team in invite_teams
    ]
    page = render_template(
        "accounts/import_members.html",
        columns=COLUMNS,
        messages=messages,
        row_errors=list(row_errors),
        invites=invites,
    )
    return page, 422, {"Cache-Control": "no-store"}


@bp.route("/teams/<code>/codes", methods=["GET", "POST"])
def codes(code):
    scope, db = current_scope(), session()
    team = find_team(db, scope, code)
    if team is None:
        abort(404)
    waiting = [m for m in team_members(db, team) if not m.password_hash and m.phone]
    if request.method == "GET":
        return render_template("accounts/code_issue.html", team=team, waiting=waiting)
    key = current_app.config["SECRET_KEY"]
    sheet = [(m, onetime.display_code(onetime.issue_code(db, key, m))) for m in waiting]
    expires = max((c.expires_at for c in _open_codes(db, waiting)), default=None)
    audit.record(db, current_user, "codes.issue", team.code, codes=len(sheet))
    db.commit()
    body = render_template(
        "accounts/code_sheet.html",
        team=team,
        sheet=sheet,
        expires=expires,
        login_url=public_url_for("code_login.login_code"),
    )
    return body, 200, {"Cache-Control": "no-store"}


def _open_codes(db, members):
    ids = [m.id for m in members]
    if not ids:
        return []
    query = select(onetime.OneTimeCode).where(
        onetime.OneTimeCode.user_id.in_(ids), onetime.OneTimeCode.used_at.is_(None)
    )
    return list(db.scalars(query))


@bp.route("/tokens", methods=["GET", "POST"], endpoint="tokens")
def tokens_page():
    _official_scope()
    db, created, error = session(), None, None
    if request.method == "POST":
        try:
            row, created = tokens.create_token(db, current_user, request.form.get("name", ""))
            audit.record(db, current_user, "tokens.create", f"token:{row.id}")
            db.commit()
        except AccountError as problem:
            error = str(problem)
    listed = tokens.user_tokens(db, current_user)
    status = 422 if error else 200
    typed = request.form.get("name", "") if error else ""
    page = render_template(
        "reports/tokens.html", tokens=listed, created=created, error=error, typed=typed
    )
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id):
    _official_scope()
    db = session()
    if not tokens.revoke_token(db, current_user, token_id):
        abort(404)
    audit.record(db, current_user, "tokens.revoke", f"token:{token_id}")
    db.commit()
    return redirect(url_for("reports.tokens"))
