"""Signed links to stored certificate PDFs, served without the web stack's per-request work.

The holder's pages link to `/files/certificates/<serial>.pdf?t=<token>`: the token, signed
with the app's secret key, names the certificate (serial and verification code) and expires
after a day. The database keeps every PDF; the first download through a link also writes it
to instance/certificates/, and later downloads read that file — a certificate's PDF never
changes once stored. A request without a valid token, or for a PDF not yet rendered, is sent
to the ordinary download route, which checks the session and renders what is missing. Every
download asks the database whether the certificate was revoked (one indexed row), so a
revoked certificate's links lead to its verification page at once, whatever files are kept.
"""

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import quote

from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import bindparam, select
from werkzeug.wrappers import Request, Response

from lms.certificates.models import Certificate
from lms.security import HEADERS

PREFIX = "/files/certificates"
TOKEN_MAX_AGE = 24 * 3600
PDF_MAX_AGE = 24 * 3600
SALT = "certificate-pdf"
NAME = re.compile(r"^[A-Z]{2,10}-\d{4}-\d{1,9}/[A-Z2-9]{6,20}$")
_THIS_ONE = (Certificate.serial == bindparam("serial"), Certificate.code == bindparam("code"))
STORED_PDF = select(Certificate.pdf).where(*_THIS_ONE)
REVOKED = select(Certificate.revoked_at.is_not(None)).where(*_THIS_ONE)


def download_token(secret_key: str, serial: str, code: str) -> str:
    return TimestampSigner(secret_key, salt=SALT).sign(f"{serial}/{code}").decode()


def signed_path(secret_key: str, serial: str, code: str) -> str:
    return f"{PREFIX}/{quote(serial)}.pdf?t={download_token(secret_key, serial, code)}"


def pdf_response(request: Request, serial: str, body: bytes, etag: str | None = None):
    """The PDF with its caching headers; 304 when the browser already has these bytes."""
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{serial}.pdf"'
    response.headers["Cache-Control"] = f"private, max-age={PDF_MAX_AGE}"
    response.set_etag(etag or hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


class SignedPdfFiles:
    """A small WSGI app mounted at PREFIX beside the Flask application."""

    def __init__(self, app, max_age: int = TOKEN_MAX_AGE):
        self.app = app
        self.signer = TimestampSigner(app.config["SECRET_KEY"], salt=SALT)
        self.max_age = max_age

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.respond(request)
        response.headers.update(HEADERS)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        serial = request.path.strip("/").removesuffix(".pdf").upper()
        try:
            name = self.signer.unsign(request.args.get("t", ""), max_age=self.max_age).decode()
        except BadSignature:
            name = ""
        if name.split("/")[0] != serial or not NAME.match(name):
            return self.checked_route(serial)
        if self.revoked(name):
            code = name.split("/")[1]
            return Response(status=303, headers={"Location": f"/verify/{quote(code)}"})
        body = self.stored_pdf(name)
        if body is None:
            return self.checked_route(serial)
        # A stored PDF never changes, so its name is a strong validator of its bytes.
        return pdf_response(request, serial, body, etag=name.replace("/", "-"))

    @staticmethod
    def checked_route(serial: str) -> Response:
        """The download route that checks the session and renders a PDF not stored yet."""
        return Response(status=303, headers={"Location": f"/certificates/{quote(serial)}.pdf"})

    def revoked(self, name: str) -> bool:
        """Whether the certificate `serial/code` was revoked (False when there is none)."""
        serial, code = name.split("/")
        with self.app.extensions["lms.db"].sessionmaker() as db:
            return bool(db.execute(REVOKED, {"serial": serial, "code": code}).scalar())

    def stored_pdf(self, name: str) -> bytes | None:
        """The PDF of the certificate `serial/code`, from its file or else the database."""
        if not NAME.match(name):
            return None
        folder = Path(self.app.instance_path) / "certificates"
        path = folder / f"{name.replace('/', '-')}.pdf"
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        serial, code = name.split("/")
        with self.app.extensions["lms.db"].sessionmaker() as db:
            body = db.execute(STORED_PDF, {"serial": serial, "code": code}).scalar()
        if body is not None:
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(body)
            os.replace(partial, path)
        return body


def mount(app) -> None:
    """Serve signed PDF links at PREFIX, ahead of the Flask application."""
    files = SignedPdfFiles(app)
    flask_app = app.wsgi_app

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(PREFIX + "/"):
            environ = dict(environ, PATH_INFO=environ["PATH_INFO"][len(PREFIX) :])
            return files(environ, start_response)
        return flask_app(environ, start_response)

    app.wsgi_app = dispatch
