"""QR codes drawn as inline SVG: nothing to fetch, scales to its box."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str) -> SafeString:
    """``data`` as an inline SVG QR code that scales to its box (no image to fetch)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # The factory writes a size in millimetres; the page's CSS sizes the code instead.
    opening, rest = svg.split(">", 1)
    opening = re.sub(r'\s(?:width|height)="[^"]*"', "", opening)
    return mark_safe(f'{opening} aria-hidden="true">{rest}')
