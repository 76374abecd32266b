"""Rendering a certificate to PDF/A-3b from a plain dict: WeasyPrint, embedded fonts, vector QR.

Only this package's fonts and stylesheet can be fetched while rendering; any other URL
is refused, so a holder's name can never make the renderer reach the network or disk.
"""

import ctypes.util
import logging
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lms.certificates.qr import QrFinisher

PACKAGE_DIR = Path(__file__).parent
ASSET_DIRS = (PACKAGE_DIR / "fonts", PACKAGE_DIR / "static")
CONTENT_TYPES = {".ttf": "font/ttf", ".css": "text/css"}
ISSUER = "Học Số — Nền tảng học kỹ năng số cho Tổ công nghệ số cộng đồng"
PDF_VARIANT = "pdf/a-3b"

log = logging.getLogger(__name__)


class OwnFilesFetcher(URLFetcher):
    """Serves the certificate's own fonts and stylesheet; refuses everything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(url2pathname(parts.path)).resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in ASSET_DIRS):
                content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"refused while rendering a certificate: {url}")


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=select_autoescape(["html"]),
    )


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    """The certificate stylesheet and its fonts, parsed once per process."""
    return CSS(
        filename=str(PACKAGE_DIR / "static" / "certificate.css"),
        url_fetcher=OwnFilesFetcher(),
        font_config=_font_config(),
    )


def render_html(context: dict) -> str:
    """The certificate page as HTML, from plain values (no ORM objects); the QR is drawn later."""
    values = {**context, "issuer": ISSUER}
    return _environment().get_template("certificates/certificate_pdf.html").render(values)


def render_pdf(context: dict) -> bytes:
    """The certificate as an A4 landscape PDF/A-3b document."""
    html = HTML(string=render_html(context), url_fetcher=OwnFilesFetcher())
    return html.write_pdf(
        stylesheets=[_stylesheet()],
        font_config=_font_config(),
        pdf_variant=PDF_VARIANT,
        finisher=QrFinisher(context["qr_text"]),
    )


def harfbuzz_subset_available() -> bool:
    """Whether HarfBuzz's subsetter is installed (WeasyPrint is much slower without it)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def warn_if_slow_fonts(logger=log) -> None:
    if not harfbuzz_subset_available():
        logger.warning(
            "libharfbuzz-subset.so.0 (Debian package libharfbuzz-subset0) is missing: "
            "certificate PDFs fall back to fontTools for font subsetting, about 7x slower."
        )
