"""Decoding bytes and normalising text, shared by every reader."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from entente.ingest.errors import ReadError

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = str.maketrans({"\u00ad": None, "\u200b": None, "\ufeff": None, "\u00a0": " "})
_MANY_BLANKS = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t]+\n")
_WS = re.compile(r"\s+")


def decode(data: bytes, path: str | Path) -> str:
    """Decode ``data`` (UTF-8 first, else the encoding charset-normalizer detects).

    Raises :class:`ReadError` for binary or undecodable content.
    """
    if not data.strip():
        raise ReadError(path, "empty file")
    if not data.startswith(_BOMS) and b"\x00" in data[:65536]:
        raise ReadError(path, "binary content (NUL bytes); not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise ReadError(path, "undecodable: no text encoding fits these bytes") from None
        text = str(best)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise ReadError(
            path, f"binary content ({controls} control characters); not a text document"
        )
    return text


def normalise(text: str) -> str:
    """NFC, Unix newlines, no invisible characters, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    text = _TRAILING.sub("\n", text + "\n")
    text = _MANY_BLANKS.sub("\n\n", text)
    return text.strip("\n").rstrip()


def doc_id(text: str) -> str:
    """Stable document id: the hash of the text with whitespace collapsed."""
    key = _WS.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
