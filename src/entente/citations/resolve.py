"""Resolving ``Ibid.`` chains and short-form repeat notes to the full source they cite."""

from __future__ import annotations

import dataclasses
import re

from entente.model import Citation, Note, Source

_WORD = re.compile(r"\w+")


def _key(title: str | None) -> str:
    words = _WORD.findall((title or "").lower())
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _surnames(src: Source) -> set[str]:
    return {a.split()[-1].lower() for a in src.authors if a.split()}


def _find_short_form(src: Source, earlier: list[tuple[int, int, Source]]) -> tuple[int, int] | None:
    """A short repeat ("Aleksandrova, “Analysts: Russian-Japanese Relations.”") names an
    author and the start of a title already cited in full."""
    if src.date or not src.title:
        return None
    key = _key(src.title)
    names = _surnames(src)
    for num, i, prev in reversed(earlier):
        if prev.kind != "full" or not prev.title:
            continue
        if not _key(prev.title).startswith(key):
            continue
        if names and not (names & _surnames(prev)):
            continue
        if prev.text == src.text:
            continue
        return num, i
    return None


def resolve_notes(notes: list[Note]) -> None:
    """Set ``refers_to`` on every ``ibid`` and short-form source (to a full source)."""
    earlier: list[tuple[int, int, Source]] = []
    by_note = {n.number: n for n in notes}
    prev_note: Note | None = None
    for note in notes:
        for i, src in enumerate(note.sources):
            if src.kind == "ibid":
                if prev_note is not None and prev_note.sources:
                    target = prev_note.sources[0]
                    ref = target.refers_to if target.kind != "full" else (prev_note.number, 0)
                    src.refers_to = ref
            else:
                short = _find_short_form(src, earlier)
                if short is not None:
                    src.kind = "short"
                    src.refers_to = short
            earlier.append((note.number, i, src))
        prev_note = note
    # make every reference point at a full source (chains of short forms)
    for note in notes:
        for src in note.sources:
            seen: set[tuple[int, int]] = set()
            while src.refers_to and src.refers_to not in seen:
                seen.add(src.refers_to)
                num, i = src.refers_to
                hop: Source | None = (
                    by_note[num].sources[i]
                    if num in by_note and i < len(by_note[num].sources)
                    else None
                )
                if hop is None or hop.kind == "full":
                    break
                src.refers_to = hop.refers_to


def citation_for(note: Note, notes_by_number: dict[int, Note]) -> Citation:
    """The citation of ``note`` with every source replaced by the full source it cites."""
    resolved: list[Source] = []
    pages = None
    for src in note.sources:
        if src.kind != "full" and src.refers_to:
            num, i = src.refers_to
            original = notes_by_number[num].sources[i]
            copy = dataclasses.replace(original, authors=list(original.authors), refers_to=(num, i))
            if src.pages:
                copy.pages = src.pages
                pages = src.pages
            resolved.append(copy)
        else:
            resolved.append(src)
    return Citation(note=note.number, sources=resolved, pages=pages)
