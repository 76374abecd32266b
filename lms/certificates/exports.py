"""Officials' views of certificates in their scope: a list per team, one ZIP per team, a CSV."""

import csv
import io
import zipfile

from flask import abort, make_response, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from lms.certificates import documents, keys
from lms.certificates.models import Certificate
from lms.certificates.scope import oversees, scoped_certificates, team_counts, team_in_scope
from lms.certificates.services import local_date
from lms.certificates.views import bp
from lms.certificates.web import signed_in_user
from lms.db import session
from lms.hosts import public_base_url
from lms.units.models import Team

CSV_COLUMNS = (
    "serial", "holder_name", "course", "issued_on", "team", "commune", "revoked",
    "revoked_reason", "verify_url",
)  # fmt: skip


def _overseer():
    user = signed_in_user()
    if user is None:
        return None, redirect(url_for("accounts.login", next=request.full_path))
    if not oversees(user):
        abort(403)
    return user, None


@bp.get("/certificates/scope")
def scope():
    user, refusal = _overseer()
    if refusal:
        return refusal
    return render_template("certificates/scope.html", teams=team_counts(session(), user))


@bp.get("/certificates/teams/<team_code>.zip")
def team_zip(team_code):
    user, refusal = _overseer()
    if refusal:
        return refusal
    db = session()
    team = team_in_scope(db, user, team_code) or abort(404)
    archive = team_archive(db, team)
    db.commit()  # PDFs rendered for the first time are kept
    response = make_response(archive)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="chung-nhan-{team.code}.zip"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def team_archive(db: Session, team: Team) -> bytes:
    """A ZIP of every certificate PDF of a team, one file per serial."""
    query = (
        select(Certificate)
        .where(Certificate.team_id == team.id)
        .options(undefer(Certificate.pdf))
        .order_by(Certificate.serial)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for certificate in db.scalars(query):
            pdf = documents.ensure_pdf(db, certificate, public_base_url(), keys.signing_key())
            archive.writestr(f"{certificate.serial}.pdf", pdf)
    return buffer.getvalue()


@bp.get("/certificates/export.csv")
def export_csv():
    user, refusal = _overseer()
    if refusal:
        return refusal
    certificates = session().scalars(scoped_certificates(user))
    response = make_response(certificates_csv(certificates, public_base_url()))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="chung-nhan.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def certificates_csv(certificates, base_url: str) -> str:
    """CSV with a BOM (spreadsheets then read UTF-8); cells cannot start a formula."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in certificates:
        row = (
            c.serial, c.holder_name, c.course_title, local_date(c.issued_at).isoformat(),
            c.team_name or "", c.commune_name or "", "yes" if c.revoked_at else "no",
            c.revoked_reason or "", documents.verify_page_url(base_url, c),
        )  # fmt: skip
        writer.writerow([_inert(cell) for cell in row])
    return out.getvalue()


def _inert(cell: str) -> str:
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
