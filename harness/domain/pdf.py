"""A tiny, valid, deterministic PDF report of an analysis, built by hand (no dependency)."""

from __future__ import annotations


def _escape(text: str) -> str:
    """A PDF string literal's content: backslash and parentheses escaped.

    (``str.replace`` three times: ``str.translate`` with a mapping is far slower.)"""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


_FIXED_OBJECTS = (
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
    b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
)


def _head() -> tuple[bytes, tuple[int, ...]]:
    """The header and the four objects every report shares, with their byte offsets."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(_FIXED_OBJECTS, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return bytes(out), tuple(offsets)


_HEAD, _HEAD_OFFSETS = _head()
_XREF_ROWS = b"".join(b"%010d 00000 n \n" % offset for offset in _HEAD_OFFSETS)


def render_pdf(title: str, lines: list[str]) -> bytes:
    """One A4 page with a title and lines of Helvetica text. Same input, same bytes."""
    shown = "".join(f"0 -18 Td\n({_escape(line[:110])}) Tj\n" for line in lines[:60])
    text = f"BT\n/F1 16 Tf\n50 790 Td\n({_escape(title)}) Tj\n/F1 11 Tf\n{shown}ET"
    stream = text.encode("latin-1", "replace")
    content_at = len(_HEAD)
    content = b"5 0 obj\n<< /Length %d >>\nstream\n%b\nendstream\nendobj\n" % (len(stream), stream)
    xref_at = content_at + len(content)
    tail = b"xref\n0 6\n0000000000 65535 f \n%b%010d 00000 n \n" % (_XREF_ROWS, content_at)
    trailer = b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return _HEAD + content + tail + trailer
