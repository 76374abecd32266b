"""`flask lms certificates ...`: public key, offline QR check, revocation."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lms.certificates import documents
from lms.certificates.signing import b64url, public_pem, sign, unb64url
from tests.certificates_support import HOLDER, issued
from tests.factories import make_user

BASE = "https://hocso.example"


def revoke(runner, *args):
    return runner.invoke(args=["lms", "certificates", "revoke", *args])


def _key(app):
    from lms.certificates import keys

    with app.app_context():
        return keys.signing_key()


def test_public_key_is_published_and_printed(app, runner, client):
    printed = runner.invoke(args=["lms", "certificates", "public-key"])
    assert printed.exit_code == 0
    assert printed.output == public_pem(_key(app).public_key())
    served = client.get("/.well-known/hocso-certificates.pub")
    assert served.status_code == 200
    assert served.get_data(as_text=True) == printed.output


def test_verify_qr_accepts_a_genuine_url(app, db, runner):
    certificate = issued(db)
    url = documents.qr_url(BASE, certificate, _key(app))
    result = runner.invoke(args=["lms", "certificates", "verify-qr", url])
    assert result.exit_code == 0, result.output
    assert "Chữ ký hợp lệ." in result.output
    assert f"Người nhận: {HOLDER}" in result.output
    assert certificate.serial in result.output


def test_verify_qr_refuses_a_tampered_payload(app, db, runner):
    certificate = issued(db)
    version, message, signature = sign(documents.signed_facts(certificate), _key(app)).split(".")
    forged = unb64url(message).decode().replace(HOLDER, "Nguyễn Văn Giả").encode()
    result = runner.invoke(
        args=["lms", "certificates", "verify-qr", f"{version}.{b64url(forged)}.{signature}"]
    )
    assert result.exit_code == 1
    assert "Chữ ký không hợp lệ" in result.output


def test_verify_qr_refuses_another_key(db, runner, tmp_path):
    other = Ed25519PrivateKey.generate()
    payload = sign(documents.signed_facts(issued(db)), other)
    result = runner.invoke(args=["lms", "certificates", "verify-qr", payload])
    assert result.exit_code == 1
    assert "không do Học Số cấp" in result.output
    pem = tmp_path / "other.pub"
    pem.write_text(public_pem(other.public_key()))
    accepted = runner.invoke(
        args=["lms", "certificates", "verify-qr", payload, "--public-key", str(pem)]
    )
    assert accepted.exit_code == 0, accepted.output


def test_revoke_keeps_who_when_why(db, runner):
    certificate = issued(db)
    admin = make_user(db, role="admin", login="quantri")
    result = revoke(runner, certificate.serial, "--reason", "Cấp nhầm người", "--by", "quantri")
    assert result.exit_code == 0, result.output
    db.refresh(certificate)
    assert certificate.revoked_reason == "Cấp nhầm người"
    assert certificate.revoked_by_id == admin.id
    assert certificate.revoked_at is not None
    again = revoke(runner, certificate.serial, "--reason", "x")
    assert again.exit_code == 1
    assert "đã bị thu hồi" in again.output


def test_revoke_names_what_is_wrong(db, runner):
    unknown = revoke(runner, "CD-2026-999999", "--reason", "x")
    assert unknown.exit_code == 1
    assert "Không có chứng nhận số hiệu" in unknown.output
    certificate = issued(db)
    blank = revoke(runner, certificate.serial, "--reason", " ")
    assert blank.exit_code == 1
    assert "lý do" in blank.output
