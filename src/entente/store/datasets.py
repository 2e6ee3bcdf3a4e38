"""Import published event datasets into the store: GDELT 2.0 events, ICEWS coded
events and POLECAT (PLOVER-coded) files. Layouts and their sources: ``docs/datasets.md``.

The whole mapping runs in DuckDB SQL over the file, streamed: each line is read as one
value and split on tabs (so every line keeps its number for error messages), checked,
and joined to small mapping tables (CAMEO → PLOVER, country codes and names → the
project's state codes, sectors, the manual's scale). No Python object is made per row.

Every imported event keeps its provenance (``dataset``, the dataset's own event id as
``row_id``, the story URL or id as ``source_url``, the CAMEO code, the dataset's own
intensity); its ``origin`` is *dataset*. A document row stands for each imported file
(its id is the hash of the file's bytes), so re-importing a file adds nothing, and an
event id already stored from another file is skipped and counted.

Actors: a side counts as a state (and enters state-to-state analysis) when its country
maps to a state and its sector is a state sector (:data:`STATE_SECTORS`, or none);
civilians, businesses, rebels, media … keep their country and sector in the record but
stay out of the scores, as do rows without a PLOVER type (CAMEO 01, public statements).
``any_sector=True`` counts every actor with a country as its state.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from entente.errors import InputError

DATASETS = ("gdelt", "icews", "polecat")
#: sectors that act for the state (CAMEO agent codes): government, military, police,
#: judiciary, legislature, intelligence; an actor with no sector is the state itself
STATE_SECTORS = ("GOV", "MIL", "COP", "JUD", "LEG", "SPY", "ELI")
#: problems listed one by one; the rest are counted
MAX_LISTED = 50
#: DuckDB's memory cap while a dataset file is imported
IMPORT_MEMORY = "512MB"


@dataclass(frozen=True, slots=True)
class Field:
    """Where a value sits: a column position (headerless files) or header names."""

    pos: int | None = None
    names: tuple[str, ...] = ()


#: GDELT 2.0 event table: 61 tab-separated columns, no header (1-based positions); the
#: GDELT 1.0 daily files share the first 35 columns and have 57 (58 with SOURCEURL, the
#: last column in both versions)
GDELT_COLUMNS = 61
GDELT_V1_COLUMNS = (57, 58)
GDELT = {
    "row_id": Field(1), "date": Field(2), "s_code": Field(6), "s_name": Field(7),
    "s_country": Field(8), "s_sector": Field(13), "t_code": Field(16), "t_name": Field(17),
    "t_country": Field(18), "t_sector": Field(23), "cameo": Field(27),
    "ds_intensity": Field(31), "url": Field(61),
}  # fmt: skip
#: ICEWS coded event files (tab-separated, header)
ICEWS = {
    "row_id": Field(names=("event id",)), "date": Field(names=("event date",)),
    "s_name": Field(names=("source name",)), "s_sector": Field(names=("source sectors",)),
    "s_country": Field(names=("source country",)), "cameo": Field(names=("cameo code",)),
    "ds_intensity": Field(names=("intensity",)), "t_name": Field(names=("target name",)),
    "t_sector": Field(names=("target sectors",)), "t_country": Field(names=("target country",)),
    "url": Field(names=("story id",)),
}  # fmt: skip
#: POLECAT files (tab-separated, header, PLOVER types and modes)
POLECAT = {
    "row_id": Field(names=("event id",)), "date": Field(names=("event date",)),
    "type": Field(names=("event type",)), "mode": Field(names=("event mode",)),
    "contexts": Field(names=("contexts", "context")),
    "ds_intensity": Field(names=("event intensity", "intensity")),
    "s_name": Field(names=("actor name",)), "s_country": Field(names=("actor country",)),
    "s_cow": Field(names=("actor cow",)), "s_sector": Field(names=("primary actor sector", "actor sector")),
    "t_name": Field(names=("recipient name",)), "t_country": Field(names=("recipient country",)),
    "t_cow": Field(names=("recipient cow",)),
    "t_sector": Field(names=("primary recipient sector", "recipient sector")),
    "url": Field(names=("story id", "url")),
}  # fmt: skip
LAYOUTS: dict[str, dict[str, Field]] = {"gdelt": GDELT, "icews": ICEWS, "polecat": POLECAT}
REQUIRED = ("row_id", "date")
#: which country tables each dataset's country values are looked up in, in order
COUNTRY_SCHEMES = {
    "gdelt": ("cameo",),
    "icews": ("names", "code"),
    "polecat": ("code", "cameo", "names"),
}


def _norm(name: str) -> str:
    return " ".join(name.replace("_", " ").strip().strip('"').lower().split())


# -- detection ---------------------------------------------------------------------------


def detect(first_line: str) -> str | None:
    """The dataset a file's first line belongs to (GDELT by its 61 columns, ICEWS and
    POLECAT by their headers), or None."""
    if first_line.lstrip().startswith("{"):
        return "jsonl"
    cells = [_norm(c) for c in first_line.rstrip("\r\n").split("\t")]
    if "cameo code" in cells and "event id" in cells:
        return "icews"
    if "event type" in cells and "event id" in cells:
        return "polecat"
    if len(cells) in (GDELT_COLUMNS, *GDELT_V1_COLUMNS) and cells[0].isdigit():
        return "gdelt"
    return None


def _members(path: Path) -> list[str]:
    """The data files in a zip (GDELT zips hold one; POLECAT's yearly zips one a month)."""
    with zipfile.ZipFile(path) as zf:
        return [
            m.filename
            for m in zf.infolist()
            if not m.is_dir()
            and not Path(m.filename).name.startswith(".")
            and "__MACOSX" not in m.filename
        ]


@contextmanager
def _extracted(path: Path, member: str) -> Iterator[Path]:
    """One member of a zip copied out to a temporary file (streamed), for DuckDB."""
    with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory(prefix="entente-import-") as tmp:
        out = Path(tmp) / Path(member).name
        with zf.open(member) as src, out.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        yield out


def first_line(path: Path) -> str:
    """The first line of a (possibly zipped or gzipped) text file."""
    import gzip

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if not members:
                return ""
            with zf.open(members[0]) as fh:
                return fh.readline(1 << 20).decode("utf-8", "replace")
    with path.open("rb") as raw:
        magic = raw.read(2)
    opener: Any = gzip.open if magic == b"\x1f\x8b" else open
    with opener(path, "rb") as fh:
        line: bytes = fh.readline(1 << 20)
    if line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]
    return line.decode("utf-8", "replace")


# -- mapping tables ----------------------------------------------------------------------


@cache
def _json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files("entente.data").joinpath(name).read_text("utf-8"))
    return data


def country_rows() -> list[tuple[str, str, str]]:
    """(scheme, key, state code): CAMEO country codes, the project's own codes, country
    names (ICEWS spellings and the reference names), COW numbers and abbreviations."""
    from entente.actors.reference import reference

    d = _json("dataset_countries.json")
    ref = reference()
    rows: list[tuple[str, str, str]] = []
    for key, code in d["cameo"].items():
        if code:
            rows.append(("cameo", key, code))
    for code, st in ref.states.items():
        rows.append(("code", code, code))
        for name in (st.name, *getattr(st, "names", ())):
            rows.append(("names", name, code))
    for key, code in d["names"].items():
        if code:
            rows.append(("names", key, code))
    for key, code in d["cow"].items():
        if code:
            rows.append(("cow", str(key), code))
    for key, code in d["cow_alpha"].items():
        if code:
            rows.append(("cow_alpha", key, code))
    seen: set[tuple[str, str]] = set()
    out = []
    for scheme, key, code in rows:
        k = (scheme, key.lower())
        if k not in seen:
            seen.add(k)
            out.append((scheme, key.lower(), code))
    return out


#: ICEWS and POLECAT write sectors as words: the first pattern that matches (lower case,
#: SQL LIKE) gives the CAMEO agent code
SECTOR_WORDS = (
    ("%rebel%", "REB"), ("%insurg%", "REB"), ("%militant%", "REB"), ("%terror%", "REB"),
    ("%separatist%", "REB"), ("%intelligence%", "SPY"), ("%police%", "COP"),
    ("%military%", "MIL"), ("%army%", "MIL"), ("%armed forces%", "MIL"), ("%navy%", "MIL"),
    ("%air force%", "MIL"), ("%defense%", "MIL"), ("%defence%", "MIL"),
    ("%judic%", "JUD"), ("%court%", "JUD"), ("%legislat%", "LEG"), ("%parliament%", "LEG"),
    ("%opposition%", "OPP"), ("%protest%", "OPP"), ("%dissident%", "OPP"),
    ("%media%", "MED"), ("%news%", "MED"), ("%business%", "BUS"), ("%corporat%", "BUS"),
    ("%nongovernmental%", "NGO"), ("%ngo%", "NGO"),
    ("%international government%", "IGO"), ("%intergovernmental%", "IGO"),
    ("%religio%", "REL"), ("%education%", "EDU"), ("%medical%", "MED"),
    ("%ethnic%", "ETH"), ("%refugee%", "REF"), ("%labor%", "LAB"), ("%labour%", "LAB"),
    ("%criminal%", "CRM"), ("%citizen%", "CVL"), ("%civilian%", "CVL"),
    ("%executive%", "GOV"), ("%government%", "GOV"), ("%cabinet%", "GOV"),
    ("%ministry%", "GOV"), ("%elite%", "ELI"), ("%party%", "PTY"), ("%parties%", "PTY"),
)  # fmt: skip


def _sector_sql(raw: str) -> str:
    """SQL giving a CAMEO agent code from a raw sector value."""
    words = " ".join(f"WHEN lower({raw}) LIKE '{p}' THEN '{c}'" for p, c in SECTOR_WORDS)
    return (
        f"CASE WHEN {raw} IS NULL OR {raw} = '' THEN NULL "
        f"WHEN regexp_matches({raw}, '^[A-Z]{{3}}$') THEN {raw} {words} ELSE 'OTH' END"
    )


def cameo_rows() -> list[tuple[str, str | None, str | None]]:
    """(CAMEO code, PLOVER type or None, the manual's mode or None)."""
    from entente.coding.cameo import to_plover_table

    return to_plover_table()


def _register(con: Any) -> None:
    import pandas as pd

    from entente.coding.ontology import scale_rows

    con.register("_ent_country", pd.DataFrame(country_rows(), columns=["scheme", "key", "code"]))
    con.register("_ent_cameo", pd.DataFrame(cameo_rows(), columns=["code", "type", "mode"]))
    con.register(
        "_ent_scale", pd.DataFrame(scale_rows(), columns=["type", "mode", "quad", "score"])
    )


def _unregister(con: Any) -> None:
    import contextlib

    for name in ("_ent_country", "_ent_cameo", "_ent_scale"):
        with contextlib.suppress(Exception):  # not registered
            con.unregister(name)


# -- the import --------------------------------------------------------------------------


def _positions(dataset: str, header: str | None, path: Path) -> dict[str, int]:
    """1-based column position of each field the file has."""
    layout = LAYOUTS[dataset]
    if header is None:
        return {k: f.pos for k, f in layout.items() if f.pos is not None}
    cells = [_norm(c) for c in header.rstrip("\r\n").split("\t")]
    out: dict[str, int] = {}
    for key, f in layout.items():
        for name in f.names:
            if name in cells:
                out[key] = cells.index(name) + 1
                break
    missing = [layout[k].names[0] for k in REQUIRED if k not in out]
    if missing:
        raise InputError(
            f"{path}: not a {dataset.upper()} file: the header lacks {', '.join(repr(m) for m in missing)}"
        )
    return out


def _utf8(path: Path) -> bool:
    """Whether a file decodes as UTF-8 (read in pieces; gzip files are taken as UTF-8).
    Some POLECAT files are Latin-1."""
    import codecs

    with path.open("rb") as fh:
        if fh.read(2) == b"\x1f\x8b":
            return True
        fh.seek(0)
        dec = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1 << 20):
                dec.decode(chunk)
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()[:16]


def import_dataset(
    store: Any, path: Path, dataset: str | None = None, any_sector: bool = False
) -> dict[str, Any]:
    """Import one dataset file (plain, gzip, or a zip of one or more data files);
    returns counts and problems (``FILE:LINE: reason``; ``ZIP!MEMBER:LINE`` in a zip)."""
    if not zipfile.is_zipfile(path):
        return _import_file(store, path, path, dataset, any_sector)
    members = _members(path)
    if not members:
        raise InputError(f"{path}: the zip holds no data file")
    total: dict[str, Any] = {}
    for member in members:
        with _extracted(path, member) as plain:
            c = _import_file(store, plain, Path(f"{path}!{member}"), dataset, any_sector)
        for k, v in c.items():
            if isinstance(v, bool) or k == "dataset":
                total[k] = v if k not in total else (total[k] and v if isinstance(v, bool) else v)
            elif isinstance(v, list):
                total.setdefault(k, []).extend(v)
            else:
                total[k] = total.get(k, 0) + v
    return total


def _import_file(
    store: Any, path: Path, shown: Path, dataset: str | None, any_sector: bool
) -> dict[str, Any]:
    """Import one plain (or gzip) data file; ``shown`` names it in messages.

    Counts: ``rows`` (data lines), ``imported``, ``duplicates`` (event ids already stored
    or repeated in the file), ``rejected`` (malformed lines), ``untyped`` (imported
    without a PLOVER type), ``non_state`` (imported with a side that is not a state)."""
    first = first_line(path)
    found = detect(first)
    if dataset is None:
        if found in (None, "jsonl"):
            raise InputError(
                f"{shown}: cannot tell the dataset from the first line; give --from "
                "gdelt, icews or polecat"
            )
        dataset = found
    if dataset not in DATASETS:
        raise InputError(f"{shown}: unknown dataset {dataset!r} (gdelt, icews or polecat)")
    header = None if dataset == "gdelt" else first
    pos = _positions(dataset, header, shown)
    doc_id = f"{dataset}:{_file_hash(path)}"
    counts: dict[str, Any] = {"dataset": dataset, "rows": 0, "imported": 0, "duplicates": 0,
                              "rejected": 0, "untyped": 0, "non_state": 0, "errors": []}  # fmt: skip
    con = store.con
    if con.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone():
        n = con.execute("SELECT count(*) FROM events WHERE doc_id = ?", [doc_id]).fetchone()[0]
        counts["duplicates"] = int(n)
        counts["already"] = True
        return counts
    _run(store, path, shown, dataset, pos, header is not None, doc_id, any_sector, counts)
    return counts


def _col(pos: dict[str, int], key: str) -> str:
    """SQL for a field's trimmed value (NULL when empty or absent)."""
    if key not in pos:
        return "NULL"
    v = f"trim(p[{pos[key]}])"
    # POLECAT writes a missing value as None
    return f"(CASE WHEN {v} IN ('', 'None', 'NULL') THEN NULL ELSE {v} END)"


def _day(dataset: str, pos: dict[str, int]) -> str:
    """SQL for the event's day: GDELT SQLDATE YYYYMMDD; ICEWS and POLECAT YYYY-MM-DD (a
    time may follow; one ICEWS release wrote M/D/YYYY)."""
    date = _col(pos, "date")
    if dataset == "gdelt":
        return f"try_strptime({date}, '%Y%m%d')::DATE"
    return f"coalesce(try_cast(left({date}, 10) AS DATE), try_strptime({date}, '%m/%d/%Y')::DATE)"


def _run(
    store: Any,
    plain: Path,
    shown: Path,
    dataset: str,
    pos: dict[str, int],
    has_header: bool,
    doc_id: str,
    any_sector: bool,
    counts: dict[str, Any],
) -> None:
    con = store.con
    ncols = GDELT_COLUMNS if dataset == "gdelt" else None
    if has_header:
        ncols = len(first_line(plain).rstrip("\r\n").split("\t"))
    date = _col(pos, "date")
    day = _day(dataset, pos)
    allowed = (GDELT_COLUMNS, *GDELT_V1_COLUMNS) if dataset == "gdelt" else (ncols,)
    expect = "61 (GDELT 2.0) or 57/58 (GDELT 1.0)" if dataset == "gdelt" else str(ncols)
    problem = (
        f"CASE WHEN len(p) NOT IN ({', '.join(map(str, allowed))}) "
        f"THEN 'expected {expect} tab-separated columns, found ' || len(p) "
        f"WHEN {_col(pos, 'row_id')} IS NULL THEN 'no event id' "
        f"WHEN {day} IS NULL THEN 'not a date: ' || coalesce({date}, '(empty)') "
        + (
            f"WHEN {_col(pos, 'cameo')} IS NOT NULL AND NOT regexp_matches({_col(pos, 'cameo')}, '^[0-9]{{2,4}}$') "
            f"THEN 'not a CAMEO code: ' || {_col(pos, 'cameo')} "
            if "cameo" in pos
            else ""
        )
        + "END"
    )
    encoding = "latin-1" if not _utf8(plain) else "utf-8"
    reader = (
        "read_csv(?, columns={'line': 'VARCHAR'}, delim=chr(31), quote='', escape='', "
        f"header=false, auto_detect=false, strict_mode=false, encoding='{encoding}')"
    )
    skip = "ln > 1 AND " if has_header else ""
    con.execute("SET enable_progress_bar = false")
    con.execute("DROP TABLE IF EXISTS _ent_lines")
    # DuckDB spills its temporary tables to disk past this cap, so memory stays bounded
    # whatever the file's size (unless ENTENTE_DUCKDB_MEMORY sets the store's own cap)
    from entente.store import memory_limit

    old_cap = None
    if not memory_limit():
        old_cap = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        con.execute(f"SET memory_limit = '{IMPORT_MEMORY}'")
    try:
        _split_and_insert(con, reader, problem, skip, plain, shown, dataset, pos, doc_id,
                          any_sector, counts)  # fmt: skip
    finally:
        con.execute("DROP TABLE IF EXISTS _ent_lines")
        if old_cap is not None:
            con.execute(f"SET memory_limit = '{old_cap}'")


def _split_and_insert(
    con: Any,
    reader: str,
    problem: str,
    skip: str,
    plain: Path,
    shown: Path,
    dataset: str,
    pos: dict[str, int],
    doc_id: str,
    any_sector: bool,
    counts: dict[str, Any],
) -> None:
    # 1. the file's lines, split and checked (a temporary table: DuckDB spills it to
    # disk past its memory limit)
    # only the columns the mapping reads are kept (13 of GDELT's 61), renumbered
    keep = sorted(set(pos.values()))
    # GDELT's SOURCEURL is the last column (61 in 2.0, 58 in 1.0; 1.0's oldest files lack it)
    short = (
        "["
        + ", ".join(
            "CASE WHEN len(p) IN (58, 61) THEN p[len(p)] END"
            if dataset == "gdelt" and i == GDELT["url"].pos
            else f"p[{i}]"
            for i in keep
        )
        + "]"
    )
    con.execute(
        f"""CREATE TEMP TABLE _ent_lines AS
            SELECT ln, {problem} AS problem, {short} AS p FROM (
                SELECT row_number() OVER () AS ln,
                       string_split(rtrim(coalesce(line, ''), chr(13)), chr(9)) AS p
                FROM {reader})
            WHERE {skip}NOT (len(p) = 1 AND trim(p[1]) = '')""",
        [str(plain)],
    )
    pos = {k: keep.index(v) + 1 for k, v in pos.items()}
    day = _day(dataset, pos)
    intensity = (
        f"try_cast({_col(pos, 'ds_intensity')} AS DOUBLE)" if "ds_intensity" in pos else "NULL"
    )
    counts["rows"] = int(con.execute("SELECT count(*) FROM _ent_lines").fetchone()[0])
    bad = con.execute(
        "SELECT ln, problem FROM _ent_lines WHERE problem IS NOT NULL ORDER BY ln"
    ).fetchall()
    counts["rejected"] = len(bad)
    counts["errors"] = [f"{shown}:{ln}: {why}" for ln, why in bad[:MAX_LISTED]]
    if len(bad) > MAX_LISTED:
        counts["errors"].append(f"{shown}: … and {len(bad) - MAX_LISTED} more malformed lines")
    _insert(con, dataset, pos, day, intensity, doc_id, shown, plain.stat().st_size,
            any_sector, counts)  # fmt: skip


def _side_lists(prefix: str, dataset: str, pos: dict[str, int]) -> str:
    """SQL columns with one side's raw values as lists (POLECAT lists several actors
    separated by ``;``; the other datasets have one actor a side)."""
    multi = dataset == "polecat"
    out = []
    for key in ("name", "country", "cow", "sector"):
        v = _col(pos, f"{prefix}_{key}")
        if v == "NULL":
            sql = "NULL::VARCHAR[]"
        elif multi:
            sql = f"string_split_regex({v}, '[;|]')"  # ';' (a few files: '|')
        else:
            sql = f"[{v}]"
        out.append(f"{sql} AS {prefix}_{key}s")
    return ", ".join(out)


def _side_raw(prefix: str, dataset: str) -> str:
    """SQL for one side as a list of raw structs (text, country, cow, sector)."""
    x = prefix

    def pick(col: str) -> str:
        # the i-th value, or the only one when a list has one value for every actor
        return f"nullif(trim(CASE WHEN len({x}_{col}) = 1 THEN {x}_{col}[1] ELSE {x}_{col}[i] END), '')"

    sector = pick("sectors")
    if dataset == "icews":
        # a nameless citizen of a country ("Citizen (Russia)") has no sector in ICEWS
        sector = (
            f"CASE WHEN lower({pick('names')}) LIKE 'citizen%' THEN 'citizen' ELSE {sector} END"
        )
    n = f"greatest(coalesce(len({x}_names), 0), coalesce(len({x}_countrys), 0), 1)"
    return (
        f"list_transform(range(1, {n} + 1), lambda i: {{'text': {pick('names')}, "
        f"'c': {pick('countrys')}, 'cow': {pick('cows')}, 'sec': {sector}}}) AS {x}_raw"
    )


def _side_entities(prefix: str, any_sector: bool) -> str:
    """SQL mapping the raw structs to entities: state code (maps ``cm`` and ``cow``),
    CAMEO agent sector, and whether the actor acts for its state."""
    x = prefix
    mapped = (
        f"list_transform({x}_raw, lambda e: {{'text': e.text, "
        f"'country': coalesce(cm[lower(e.c)], cow[e.cow]), 'sector': {_sector_sql('e.sec')}}})"
    )
    sectors = ", ".join(f"'{c}'" for c in STATE_SECTORS)
    state = (
        "e.country IS NOT NULL"
        if any_sector
        else f"e.country IS NOT NULL AND (e.sector IS NULL OR e.sector IN ({sectors}))"
    )
    return (
        f"list_filter(list_transform({mapped}, lambda e: struct_insert(e, state := {state})), "
        f"lambda e: e.text IS NOT NULL OR e.country IS NOT NULL OR e.sector IS NOT NULL) "
        f"AS {x}_entities"
    )


def _insert(
    con: Any,
    dataset: str,
    pos: dict[str, int],
    day: str,
    intensity: str,
    doc_id: str,
    shown: Path,
    size: int,
    any_sector: bool,
    counts: dict[str, Any],
) -> None:
    from entente.coding.ontology import LEGACY_TYPES

    schemes = COUNTRY_SCHEMES[dataset]
    rank = " ".join(f"WHEN '{sc}' THEN {i}" for i, sc in enumerate(schemes))
    in_schemes = ", ".join(f"'{sc}'" for sc in schemes)
    if dataset == "polecat":
        legacy = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in LEGACY_TYPES.items())
        etype = (
            f"(SELECT CASE upper({_col(pos, 'type')}) {legacy} ELSE upper({_col(pos, 'type')}) END)"
        )
        mode = f"lower({_col(pos, 'mode')})"
        cameo = "NULL"
    else:
        raw = _col(pos, "cameo")
        # a leading zero a spreadsheet dropped comes back (see coding.cameo.normalise)
        code = (
            f"CASE WHEN len({raw}) = 1 THEN lpad({raw}, 2, '0') "
            f"WHEN len({raw}) = 2 AND {raw}::INTEGER > 20 THEN lpad({raw}, 3, '0') "
            f"WHEN len({raw}) = 3 AND {raw}::INTEGER > 204 THEN lpad({raw}, 4, '0') ELSE {raw} END"
        )
        etype = "NULL"
        mode = "NULL"
        cameo = code
    contexts = (
        f"list_filter(list_transform(string_split_regex(lower(coalesce({_col(pos, 'contexts')}, '')), '[;|]'), lambda x: trim(x)), lambda x: x <> '')"
        if "contexts" in pos
        else "[]::VARCHAR[]"
    )
    # ICEWS repeats an Event ID on another date: the pair is the key
    key = _col(pos, "row_id")
    if dataset == "icews":
        key = f"{key} || '@' || strftime({day}, '%Y-%m-%d')"
    # the rows of this file, mapped (temporary: DuckDB spills it to disk if need be)
    con.execute("DROP TABLE IF EXISTS _ent_mapped")
    _register(con)
    try:
        con.execute(
            f"""CREATE TEMP TABLE _ent_mapped AS
            WITH cm AS (
                SELECT map(list(key), list(code)) AS cm FROM (
                    SELECT key, arg_min(code, CASE scheme {rank} END) AS code FROM _ent_country
                    WHERE scheme IN ({in_schemes}) GROUP BY key)),
            cw AS (SELECT map(list(key), list(code)) AS cow FROM _ent_country WHERE scheme = 'cow'),
            base AS (
                SELECT ln, {key} AS row_id, {day} AS day, {cameo} AS cameo,
                       {etype} AS given_type, {mode} AS given_mode, {contexts} AS contexts,
                       {intensity} AS ds_intensity, {_col(pos, "url")} AS url,
                       {_side_lists("s", dataset, pos)}, {_side_lists("t", dataset, pos)}
                FROM _ent_lines WHERE problem IS NULL
                QUALIFY row_number() OVER (PARTITION BY row_id ORDER BY ln) = 1),
            raw AS (
                SELECT * EXCLUDE (s_names, s_countrys, s_cows, s_sectors, t_names, t_countrys,
                                  t_cows, t_sectors),
                       {_side_raw("s", dataset)}, {_side_raw("t", dataset)}
                FROM base),
            ents AS (
                SELECT * EXCLUDE (s_raw, t_raw, cm, cow),
                       {_side_entities("s", any_sector)}, {_side_entities("t", any_sector)}
                FROM raw, cm, cw),
            typed AS (
                SELECT b.*,
                       coalesce(b.given_type, c4.type, c3.type, c2.type) AS type,
                       CASE WHEN b.given_type IS NOT NULL THEN b.given_mode
                            WHEN c4.type IS NOT NULL THEN c4.mode
                            WHEN c3.type IS NOT NULL THEN c3.mode ELSE c2.mode END AS mode
                FROM ents b
                LEFT JOIN _ent_cameo c4 ON c4.code = b.cameo
                LEFT JOIN _ent_cameo c3 ON c3.code = left(b.cameo, 3)
                LEFT JOIN _ent_cameo c2 ON c2.code = left(b.cameo, 2))
            SELECT t.*, sc.quad, coalesce(sm.score, sc.score) AS score,
                   list_distinct(list_transform(list_filter(s_entities, lambda e: e.state),
                       lambda e: e.country)) AS s_states,
                   list_distinct(list_transform(list_filter(t_entities, lambda e: e.state),
                       lambda e: e.country)) AS t_states,
                   list_bool_and(list_transform(s_entities, lambda e: e.state)) AS s_all_states,
                   list_bool_and(list_transform(t_entities, lambda e: e.state)) AS t_all_states
            FROM typed t
            LEFT JOIN _ent_scale sc ON sc.type = t.type AND sc.mode IS NULL
            LEFT JOIN _ent_scale sm ON sm.type = t.type AND sm.mode = t.mode
            WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = '{dataset}:' || t.row_id)"""
        )
    finally:
        _unregister(con)
    try:
        valid = counts["rows"] - counts["rejected"]
        n = int(con.execute("SELECT count(*) FROM _ent_mapped").fetchone()[0])
        counts["duplicates"] = valid - n
        counts["untyped"] = int(
            con.execute("SELECT count(*) FROM _ent_mapped WHERE type IS NULL").fetchone()[0]
        )
        counts["non_state"] = int(
            con.execute(
                "SELECT count(*) FROM _ent_mapped WHERE NOT (coalesce(s_all_states, false) "
                "AND coalesce(t_all_states, false))"
            ).fetchone()[0]
        )
        now = datetime.now(UTC).replace(tzinfo=None)
        meta = {k: counts[k] for k in ("rows", "rejected", "duplicates", "untyped", "non_state")}
        meta["imported"] = n
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO documents (id, path, title, reader, text_hash, n_chars, added_at, "
                "meta, dataset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc_id, str(shown), shown.name, dataset, doc_id.split(":", 1)[1],
                 size, now, json.dumps(meta), dataset],
            )  # fmt: skip
            side = "to_json({x}_entities)"
            con.execute(
                f"""INSERT INTO events (id, doc_id, idx, type, quad, mode, source, target,
                    intensity, negated, modality, date, date_precision, sentence_index,
                    start_char, end_char, note, confidence, rule, record, context_spans,
                    date_start, date_end, date_source, dataset, row_id, source_url, cameo,
                    dataset_intensity)
                SELECT '{dataset}:' || row_id, ?, ln, type, quad, mode,
                       coalesce(s_states, []::VARCHAR[]), coalesce(t_states, []::VARCHAR[]),
                       coalesce(score, 0.0), false, 'asserted', strftime(day, '%Y-%m-%d'), 'day',
                       NULL, NULL, NULL, NULL, 1.0, 'import:{dataset}',
                       json_object('kind', 'event', 'id', '{dataset}:' || row_id, 'doc_id', ?,
                           'origin', 'dataset', 'dataset', '{dataset}', 'row_id', row_id,
                           'source_url', url, 'cameo', cameo, 'type', type, 'mode', mode,
                           'context', contexts, 'quad', quad, 'intensity', coalesce(score, 0.0),
                           'dataset_intensity', ds_intensity,
                           'source', {side.format(x="s")}, 'target', {side.format(x="t")},
                           'date', strftime(day, '%Y-%m-%d'), 'date_precision', 'day',
                           'negated', false, 'modality', 'asserted', 'confidence', 1.0,
                           'rule', 'import:{dataset}', 'line', ln),
                       NULL, day, day, 'dataset', '{dataset}', row_id, url, cameo, ds_intensity
                FROM _ent_mapped ORDER BY ln""",
                [doc_id, doc_id],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        counts["imported"] = n
    finally:
        con.execute("DROP TABLE IF EXISTS _ent_mapped")
