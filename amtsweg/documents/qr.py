"""QR codes for documents, drawn with segno as inline SVG (the PDF renderer fetches no images)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(*, text: str, scale: int = 2) -> SafeString:
    """The QR code of ``text`` (error correction M, the usual for print) as an inline ``<svg>`` element."""
    code = segno.make(text, error="m", micro=False)
    # segno writes only the path of the code: no text of ours ends up in the markup but the encoded bits.
    return mark_safe(code.svg_inline(scale=scale, border=4, dark="#000", light="#fff"))  # noqa: S308
