"""`flask lms certificates ...`: the public key, offline QR checks, revocation, rendering."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.accounts.models import User
from lms.audit import services as audit
from lms.certificates import documents, keys, services
from lms.certificates.models import Certificate
from lms.certificates.signing import PayloadError, load_public_pem, public_pem, verify
from lms.db import session
from lms.hosts import public_base_url

certificates_group = AppGroup("certificates", help="Certificates: keys, checks, revocation.")


@certificates_group.command("public-key")
def public_key_command():
    """Print the public key that checks certificate QR codes (PEM)."""
    click.echo(public_pem(keys.public_key()), nl=False)


@certificates_group.command("verify-qr")
@click.argument("payload")
@click.option(
    "--public-key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PEM public key to check against (default: this installation's key).",
)
def verify_qr(payload, key_file):
    """Check a QR payload (or the whole URL) offline: no database is used."""
    try:
        key = load_public_pem(key_file.read_text()) if key_file else keys.public_key()
        facts = verify(payload, key)
    except (PayloadError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Chữ ký hợp lệ.")
    click.echo(f"Số hiệu: {facts.serial}")
    click.echo(f"Người nhận: {facts.holder_name}")
    click.echo(f"Khóa học: {facts.course}")
    click.echo(f"Ngày cấp: {facts.date}")


@certificates_group.command("revoke")
@click.argument("serial")
@click.option("--reason", required=True, help="Why the certificate is revoked (kept).")
@click.option("--by", "by_login", help="Login of the admin revoking it (kept).")
def revoke(serial, reason, by_login):
    """Revoke a certificate by serial, keeping who, when and why."""
    db = session()
    certificate = services.by_serial(db, serial)
    if certificate is None:
        raise click.ClickException(f"Không có chứng nhận số hiệu '{serial}'.")
    admin = None
    if by_login:
        admin = db.scalar(select(User).where(User.login == by_login.lower()))
        if admin is None or admin.role != "admin":
            raise click.ClickException(f"'{by_login}' không phải tài khoản quản trị (--by).")
    try:
        services.revoke(db, certificate, reason, by=admin)
    except services.CertificateError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record(db, admin, "certificates.revoke", certificate.serial, via="cli")
    db.commit()
    click.echo(f"Đã thu hồi chứng nhận {certificate.serial}.")


@certificates_group.command("render")
def render_missing():
    """Render and store the PDF of every certificate that has none yet."""
    db = session()
    missing = db.scalars(select(Certificate).where(Certificate.pdf.is_(None)))
    count = 0
    for certificate in missing:
        documents.ensure_pdf(db, certificate, public_base_url(), keys.signing_key())
        count += 1
    db.commit()
    click.echo(f"Đã tạo {count} tệp PDF.")
