"""Signed links to stored PDFs: the holder's pages link to them; anything else falls back."""

import re
import time
from pathlib import Path

from lms.certificates import files
from tests.certificates_support import issued, sign_in
from tests.factories import make_user

LINK = re.compile(r'href="(/files/certificates/[^"]+)"')


def _stored(client, db):
    """A holder signed in, with a certificate whose PDF is rendered and stored."""
    holder = make_user(db)
    certificate = issued(db, holder)
    sign_in(client, holder)
    assert client.get(f"/certificates/{certificate.serial}.pdf").status_code == 200
    return certificate


def test_my_certificates_link_to_a_signed_pdf_served_with_headers(app, client, db):
    certificate = _stored(client, db)
    link = LINK.search(client.get("/me/certificates").get_data(as_text=True))[1]
    assert link.startswith(f"/files/certificates/{certificate.serial}.pdf?t=")

    anyone = app.test_client()  # the signed link alone opens it: no session needed
    response = anyone.get(link)

    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "private, max-age=86400"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    again = anyone.get(link, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_token_for_another_serial_or_tampered_falls_back_to_the_checked_route(app, client, db):
    certificate = _stored(client, db)
    other = issued(db)
    token = files.download_token(app.config["SECRET_KEY"], other.serial, other.code)
    for query in (f"t={token}", "t=abc", ""):
        response = client.get(f"/files/certificates/{certificate.serial}.pdf?{query}")
        assert response.status_code == 303
        assert response.headers["Location"] == f"/certificates/{certificate.serial}.pdf"


def test_an_expired_token_falls_back(app, db):
    certificate = issued(db)
    expired = files.SignedPdfFiles(app, max_age=0)
    token = files.download_token(app.config["SECRET_KEY"], certificate.serial, certificate.code)
    time.sleep(1.1)
    with app.test_request_context(f"/{certificate.serial}.pdf?t={token}") as context:
        assert expired.respond(context.request).status_code == 303


def test_a_pdf_not_yet_stored_falls_back_to_the_route_that_renders_it(app, client, db):
    certificate = issued(db)
    link = files.signed_path(app.config["SECRET_KEY"], certificate.serial, certificate.code)
    assert client.get(link).status_code == 303


def test_the_first_download_keeps_a_file_that_later_downloads_read(app, client, db):
    certificate = _stored(client, db)
    link = files.signed_path(app.config["SECRET_KEY"], certificate.serial, certificate.code)
    kept = Path(app.instance_path) / "certificates" / f"{certificate.serial}-{certificate.code}.pdf"
    kept.unlink(missing_ok=True)
    first = client.get(link)
    assert kept.read_bytes() == first.data
    certificate.pdf = None  # later downloads read the file, not the database
    db.flush()
    assert client.get(link).data == first.data
    kept.unlink()
