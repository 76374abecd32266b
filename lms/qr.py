"""QR codes as inline SVG, for lesson share links and team invitations."""

from functools import lru_cache

import segno


@lru_cache(maxsize=512)
def qr_svg(url: str, title: str) -> str:
    """An inline, scalable SVG QR code of the URL (cached: the same URL gives the same code)."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=4, border=2, title=title, omitsize=True)
