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
        text = _detect(data, path)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise ReadError(
            path, f"binary content ({controls} control characters); not a text document"
        )
    return text


#: languages written with the Latin-1 letters (cp1252 / ISO 8859-1 territory)
_WESTERN = frozenset(
    [
        "English",
        "French",
        "German",
        "Spanish",
        "Portuguese",
        "Italian",
        "Dutch",
        "Danish",
        "Norwegian",
        "Swedish",
        "Finnish",
        "Icelandic",
        "Catalan",
        "Basque",
        "Galician",
        "Irish",
        "Welsh",
        "Indonesian",
        "Malay",
    ]
)
#: preference among single-byte encodings that decode the bytes equally well
_ORDER = ("cp1252", "iso8859_15", "latin_1", "cp1251", "cp1250", "iso8859_2")


def _latin1_share(text: str) -> float:
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if 0xC0 <= ord(c) <= 0xFF) / len(letters)


def _detect(data: bytes, path: str | Path) -> str:
    """The decoding charset-normalizer finds most plausible. Its ties (cp1250 and cp1252
    read "Genève" equally well) go to the letters the detected language uses: a Western
    European language's accents live in Latin-1 (è, ü, ñ), so "Genčve" loses."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        raise ReadError(path, "undecodable: no text encoding fits these bytes")
    best = results[0]
    ties = [
        r for r in results
        if abs(r.chaos - best.chaos) < 0.01 and abs(r.coherence - best.coherence) < 0.01
    ]  # fmt: skip
    if len(ties) > 1:

        def rank(r: object) -> tuple[float, int]:
            text = str(r)
            western = getattr(r, "language", "") in _WESTERN
            share = _latin1_share(text) if western else 1.0 - _latin1_share(text)
            enc = str(getattr(r, "encoding", ""))
            return (-share, _ORDER.index(enc) if enc in _ORDER else len(_ORDER))

        best = min(ties, key=rank)
    return str(best)


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
