"""The certificate PDF: read back with pdftotext, its QR code decoded with zbarimg."""

import logging
import subprocess

from lms import create_app
from lms.certificates import keys
from lms.certificates import pdf as pdf_module
from lms.certificates.models import Certificate
from lms.certificates.pdf import ISSUER
from lms.certificates.signing import verify
from tests.certificates_support import HOLDER, issued, make_course, sign_in
from tests.factories import make_team, make_user

COURSE = "An toàn trên mạng cho người dân"


def _download(client, db, certificate, user):
    sign_in(client, user)
    response = client.get(f"/certificates/{certificate.serial}.pdf")
    assert response.status_code == 200, response.status
    assert response.mimetype == "application/pdf"
    return response


def test_pdf_text_page_and_storage(client, db, tmp_path):
    team = make_team(db)
    user = make_user(db, role="member", full_name=HOLDER, team=team)
    certificate = issued(db, user, make_course(db, "member", COURSE))
    body = _download(client, db, certificate, user).data
    path = tmp_path / "certificate.pdf"
    path.write_bytes(body)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert HOLDER in text
    assert certificate.serial in text
    assert COURSE in text
    assert ISSUER in text
    assert team.name in text and team.commune.name in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Pages:           1" in info
    assert "841.89 x 595.276 pts (A4)" in info  # landscape
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert fonts.count("yes yes yes") == 2  # both faces embedded and subset, with Unicode maps
    db.expire_all()
    assert db.get(Certificate, certificate.id).pdf == body  # rendered once, stored


def test_qr_code_opens_the_verification_page_and_carries_the_signature(app, client, db, tmp_path):
    user = make_user(db, full_name=HOLDER)
    certificate = issued(db, user)
    path = tmp_path / "certificate.pdf"
    path.write_bytes(_download(client, db, certificate, user).data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded.startswith(f"http://localhost/verify/{certificate.code}#1.")
    with app.app_context():
        facts = verify(decoded, keys.public_key())
    assert (facts.serial, facts.holder_name) == (certificate.serial, HOLDER)
    page = client.get(decoded.split("#")[0].removeprefix("http://localhost"))
    assert page.status_code == 200


def test_start_warns_when_the_harfbuzz_subsetter_is_missing(monkeypatch, caplog, tmp_path):
    assert pdf_module.harfbuzz_subset_available()  # installed here: renders are fast
    monkeypatch.setattr(pdf_module, "harfbuzz_subset_available", lambda: False)
    with caplog.at_level(logging.WARNING):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})
    assert "libharfbuzz-subset0" in caplog.text
    assert "7x slower" in caplog.text
