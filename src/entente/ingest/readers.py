"""Readers: one function per format, each turning bytes into a :class:`Document`.

A reader fills the text, the paragraphs and the metadata it can find; the notes,
markers and sentences are added afterwards by :mod:`entente.pipeline`.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from entente.ingest.errors import ReadError
from entente.ingest.text import decode, doc_id, normalise
from entente.model import Document, Paragraph, ParagraphKind

_BLANK = re.compile(r"\n[ \t]*\n")


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs separated by blank lines; one per line when the text has no blank line.

    Indented blocks (two or more spaces or a tab) are block quotes.
    """
    spans: list[tuple[int, int]] = []
    sep = _BLANK if _BLANK.search(text) else re.compile(r"\n")
    pos = 0
    for m in sep.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out: list[Paragraph] = []
    for start, end in spans:
        raw = text[start:end]
        if not raw.strip():
            continue
        lead = len(raw) - len(raw.lstrip())
        indented = raw[:lead].replace("\n", "").startswith(("  ", "\t"))
        s = start + lead
        e = start + len(raw.rstrip())
        kind: ParagraphKind = "blockquote" if indented else "body"
        out.append(Paragraph(index=len(out), start=s, end=e, kind=kind))
    return out


def _mark_title(text: str, paragraphs: list[Paragraph], title: str | None) -> str | None:
    """Mark the first paragraph as the title when it looks like one; return the title."""
    if not paragraphs:
        return title
    first = paragraphs[0]
    line = text[first.start : first.end]
    looks_like_title = (
        "\n" not in line and len(line) <= 200 and not line.rstrip().endswith((".", ":", ";", ","))
    )
    if (title and line.strip() == title.strip()) or (title is None and looks_like_title):
        first.kind = "title"
        return title or line.strip()
    return title


def _build(
    path: str,
    text: str,
    reader: str,
    paragraphs: list[Paragraph] | None = None,
    **meta: Any,
) -> Document:
    if not text.strip():
        raise ReadError(path, "no text after extraction")
    paras = paragraphs if paragraphs is not None else split_paragraphs(text)
    title = _mark_title(text, paras, meta.pop("title", None))
    return Document(
        id=doc_id(text),
        path=path,
        text=text,
        reader=reader,
        title=title,
        date=meta.pop("date", None),
        author=meta.pop("author", None),
        url=meta.pop("url", None),
        paragraphs=paras,
        meta={k: v for k, v in meta.items() if v is not None},
    )


def read_txt(data: bytes, path: str) -> Document:
    """Plain text: paragraphs separated by blank lines."""
    return _build(path, normalise(decode(data, path)), "txt")


def read_md(data: bytes, path: str) -> Document:
    """Markdown, rendered to plain text block by block with markdown-it-py."""
    from markdown_it import MarkdownIt

    source = normalise(decode(data, path))
    tokens = MarkdownIt("commonmark").parse(source)
    parts: list[tuple[str, ParagraphKind]] = []
    depth_quote = 0
    heading = False
    prefix = ""
    for tok in tokens:
        if tok.type == "list_item_open" and tok.info:
            prefix = f"{tok.info}{tok.markup} "  # keep the number of an ordered item (notes)
        elif tok.type == "blockquote_open":
            depth_quote += 1
        elif tok.type == "blockquote_close":
            depth_quote -= 1
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline":
            pieces: list[str] = []
            for child in tok.children or []:
                if child.type in ("text", "code_inline", "html_inline"):
                    pieces.append(child.content)
                elif child.type == "softbreak":
                    pieces.append(" ")
                elif child.type == "hardbreak":
                    pieces.append("\n")
                elif child.type == "image":
                    pieces.append(child.content)
            line = "".join(pieces).strip()
            if line and prefix:
                line, prefix = prefix + line, ""
            if line:
                kind: ParagraphKind = (
                    "heading" if heading else "blockquote" if depth_quote else "body"
                )
                parts.append((line, kind))
        elif tok.type in ("code_block", "fence") and tok.content.strip():
            parts.append((tok.content.strip(), "body"))
    text = ""
    paras: list[Paragraph] = []
    for line, kind in parts:
        if text:
            text += "\n\n"
        paras.append(
            Paragraph(index=len(paras), start=len(text), end=len(text) + len(line), kind=kind)
        )
        text += line
    title = None
    if paras and paras[0].kind == "heading":
        title = text[paras[0].start : paras[0].end]
    return _build(path, text, "md", paras, title=title)


def read_html(data: bytes, path: str) -> Document:
    """HTML: main text and metadata (title, date, author, url) with trafilatura."""
    import trafilatura

    html = decode(data, path)
    try:
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura raises many parser errors
        raise ReadError(path, f"cannot parse HTML: {exc}") from exc
    if result is None or isinstance(result, dict) or not (result.text or "").strip():
        # trafilatura gives up on some pages (e.g. nested thousands of levels deep):
        # fall back to every text node outside scripts and styles
        plain = _plain_html_text(html)
        if not plain.strip():
            raise ReadError(path, "no text found in the HTML page")
        return _build(path, plain, "html", extraction="plain-fallback")
    lines = [ln.strip() for ln in normalise(result.text or "").split("\n") if ln.strip()]
    text = "\n\n".join(lines)
    return _build(
        path,
        text,
        "html",
        title=result.title,
        date=result.date,
        author=result.author,
        url=result.url,
        sitename=getattr(result, "sitename", None),
    )


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "dd",
        "dt",
        "figcaption",
    ]
)


def _plain_html_text(html: str) -> str:
    """All visible text of an HTML page, a paragraph per block element (the standard
    library's event parser: no recursion, so any nesting depth is fine)."""
    from html.parser import HTMLParser

    blocks: list[str] = []
    current: list[str] = []
    skip = 0

    def end_block() -> None:
        line = " ".join("".join(current).split())
        if line:
            blocks.append(line)
        current.clear()

    class _Text(HTMLParser):
        def handle_starttag(self, tag: str, attrs: Any) -> None:
            nonlocal skip
            if tag in ("script", "style", "noscript", "template"):
                skip += 1
            elif tag in _BLOCK_TAGS:
                end_block()

        def handle_endtag(self, tag: str) -> None:
            nonlocal skip
            if tag in ("script", "style", "noscript", "template"):
                skip = max(0, skip - 1)
            elif tag in _BLOCK_TAGS:
                end_block()

        def handle_data(self, data: str) -> None:
            if not skip:
                current.append(data)

    parser = _Text(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    end_block()
    return normalise("\n\n".join(blocks))


_SENT_END = (".", "?", "!", ":", "\u201d", '"', ")")
_NOTE_LINE = re.compile(r"^\s*(?:\d{1,3}[.)]|\[\d{1,3}\])\s")


def _pdf_paragraphs(page_texts: list[str]) -> str:
    """Rejoin PDF lines into paragraphs: blank lines, short sentence-final lines and
    numbered note lines end a paragraph; hyphenated line breaks are mended."""
    lines: list[str] = []
    for page in page_texts:
        lines.extend(page.replace("\r", "\n").split("\n"))
        lines.append("")
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    typical = widths[int(len(widths) * 0.8)] if widths else 0
    paras: list[str] = []
    cur = ""
    for raw in lines:
        ln = raw.strip()
        if not ln:
            if cur:
                paras.append(cur)
                cur = ""
            continue
        if cur and _NOTE_LINE.match(ln):
            paras.append(cur)
            cur = ""
        if cur.endswith("-") and ln[:1].islower():
            cur = cur[:-1] + ln
        else:
            cur = f"{cur} {ln}" if cur else ln
        if ln.endswith(_SENT_END) and len(ln) < 0.75 * typical:
            paras.append(cur)
            cur = ""
    if cur:
        paras.append(cur)
    return "\n\n".join(paras)


def read_pdf(data: bytes, path: str) -> Document:
    """PDF: text of every page with pypdf, lines rejoined into paragraphs."""
    from pypdf import PdfReader

    if not data.lstrip().startswith(b"%PDF"):
        raise ReadError(path, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = [p.extract_text() or "" for p in reader.pages]
        info = reader.metadata
    except Exception as exc:  # pypdf raises many types for damaged files
        raise ReadError(path, f"unreadable or truncated PDF: {exc}") from exc
    text = normalise(_pdf_paragraphs(pages))
    if not text.strip():
        raise ReadError(path, "PDF has no extractable text (scanned image?)")
    title = author = None
    if info is not None:
        title = (info.title or "").strip() or None
        author = (info.author or "").strip() or None
    return _build(path, text, "pdf", title=title, author=author, pages=len(pages))


def read_jsonl(data: bytes, path: str) -> Iterator[Document | ReadError]:
    """A JSONL corpus: one object per line with ``text`` and optional ``id``, ``title``,
    ``date``, ``url``, ``author``. A bad line yields a :class:`ReadError` naming
    ``FILE:LINE`` and the rest of the file is still read."""
    content = decode(data, path)
    seen = 0
    for lineno, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        seen += 1
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadError(where, f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            yield ReadError(where, "a JSONL line must be an object")
            continue
        raw = obj.get("text")
        if not isinstance(raw, str) or not raw.strip():
            yield ReadError(where, "missing or empty 'text' field")
            continue
        text = normalise(raw)
        meta: dict[str, Any] = {
            k: (str(obj[k]) if obj.get(k) is not None else None)
            for k in ("title", "date", "url", "author")
        }
        try:
            doc = _build(
                f"{path}#{obj.get('id', lineno)}",
                text,
                "jsonl",
                source_id=str(obj["id"]) if "id" in obj else None,
                line=lineno,
                **meta,
            )
        except ReadError as err:
            yield err
            continue
        yield doc
    if seen == 0:
        raise ReadError(path, "empty JSONL corpus")


READERS = {
    ".txt": read_txt,
    ".text": read_txt,
    ".md": read_md,
    ".markdown": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
}
SUPPORTED = (*READERS, ".jsonl")


def reader_for(path: Path) -> str:
    """The reader name for a path (its suffix), or raise :class:`ReadError`."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(
            path, f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED)}"
        )
    return suffix
