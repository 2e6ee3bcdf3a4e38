"""A small grammar for date expressions in running text, normalised with a precision.

Why our own: ``dateparser.search_dates`` over running prose reads "Su-35" as 2035,
"may" as May and note numbers as days, and misreads seasons and month ranges (see
docs/architecture.md). Here every pattern is anchored on a year, a month name, a
season, a decade or a relative phrase, and each match yields an interval
``[begin, end]`` (ISO days) plus a display value:

======================  ===================  ==========  ======================
text                    value                precision   begin … end
======================  ===================  ==========  ======================
September 30, 2015      2015-09-30           day         2015-09-30
late September 2015     2015-09              month       2015-09-21 … 09-30
the fall of 2015        2015-23              season      2015-09-01 … 11-30
from August to Oct 2015 2015-08/2015-10      month       2015-08-01 … 10-31
Q3 2015                 2015-35              quarter     2015-07-01 … 09-30
the 1990s               199X                 decade      1990-01-01 … 1999-12-31
since 2005              2005/..              year        2005-01-01 … (ref)
last week               (ref-based)          week        …
======================  ===================  ==========  ======================

Season, quarter and half values follow EDTF (ISO 8601-2 sub-year groupings: 21 spring,
22 summer, 23 autumn, 24 winter; 33–36 quarters; 40–41 halves). ISO weeks have no EDTF
form: their value is ``2015-W40`` and the interval carries them.
"""

from __future__ import annotations

import bisect
import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from entente.time.calendar import MONTH_RE, iso, month_number, valid_day

YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_Y = rf"(?<![\w\-/.])(?P<{{name}}>{YEAR})(?![\w\-/]|\.\d)"


def _y(name: str) -> str:
    return _Y.format(name=name)


SEASONS = {
    "spring": (21, 3, 5),
    "summer": (22, 6, 8),
    "fall": (23, 9, 11),
    "autumn": (23, 9, 11),
    "winter": (24, 12, 2),
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3,
}  # fmt: skip
_ORD_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19,
}  # fmt: skip
_TENS = {
    "twent": 20,
    "thirt": 30,
    "fort": 40,
    "fift": 50,
    "sixt": 60,
    "sevent": 70,
    "eight": 80,
    "ninet": 90,
}
_TENS_CARD = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
#: events that anniversaries are counted from (year the count starts)
ANCHOR_EVENTS = {
    "the end of world war ii": 1945,
    "the end of the second world war": 1945,
    "the end of world war two": 1945,
    "world war ii": 1945,
    "the victory": 1945,
    "the end of world war i": 1918,
    "the collapse of the soviet union": 1991,
    "the dissolution of the soviet union": 1991,
    "the end of the cold war": 1991,
    "the founding of the people's republic of china": 1949,
    "the founding of the prc": 1949,
    "the korean war armistice": 1953,
    "the end of the korean war": 1953,
    "the september 11 attacks": 2001,
    "the 9/11 attacks": 2001,
    "normalization of sino-japanese relations": 1972,
    "the normalization of sino-japanese relations": 1972,
}


def ordinal_value(word: str) -> int | None:
    """1 for "first", 70 for "seventieth", 75 for "seventy-fifth", 70 for "70th"."""
    w = word.lower().strip()
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", w)
    if m:
        return int(m.group(1))
    if w in _ORD_UNITS:
        return _ORD_UNITS[w]
    if w.endswith("ieth"):
        stem = w[:-4]
        for k, v in _TENS.items():
            if stem == k or stem + "y" == k + "y":
                return v
    parts = re.split(r"[-\s]", w)
    if len(parts) == 2 and parts[0] in _TENS_CARD and parts[1] in _ORD_UNITS:
        return _TENS_CARD[parts[0]] + _ORD_UNITS[parts[1]]
    if w == "hundredth":
        return 100
    return None


@dataclass(slots=True)
class DateExpr:
    """A date expression found in text, normalised."""

    start: int
    end: int
    text: str
    value: str | None
    precision: str
    begin: str | None = None
    until: str | None = None
    end_value: str | None = None
    relative: bool = False
    qualifier: str | None = None
    rule: str = ""


def _last_day(y: int, m: int) -> int:
    return _cal.monthrange(y, m)[1]


def _month_bounds(y: int, m: int) -> tuple[str, str]:
    return iso(y, m, 1), iso(y, m, _last_day(y, m))


def _year_bounds(y: int) -> tuple[str, str]:
    return iso(y, 1, 1), iso(y, 12, 31)


def _two_digit_year(first: int, second: str) -> int:
    if len(second) == 2:
        return (first // 100) * 100 + int(second)
    return int(second)


ORD_RE = r"(?:\d{1,3}(?:st|nd|rd|th)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))?|[a-z]+ieth|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|hundredth)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_NUMW = r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_QUAL = r"(?P<qual>early|mid|middle|late|the end of|the beginning of|the start of|the first half of|the second half of|the middle of)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("month_range", re.compile(
        rf"\b(?:(?P<pre>from|between)\s+)?(?P<m1>{MONTH_RE})\s*(?:to|through|until|and|[-\u2013\u2014])\s*(?P<m2>{MONTH_RE})\s*,?\s+{_y('y')}",
        re.IGNORECASE)),
    ("year_range", re.compile(
        rf"\b(?:(?P<pre>from|between)\s+)?{_y('y1')}\s*(?:to|through|until|and|[-\u2013\u2014])\s*(?P<y2>{YEAR}|\d\d)(?![\w\-/])",
        re.IGNORECASE)),
    ("day_month_year", re.compile(
        rf"\b(?P<month>{MONTH_RE})\s+{_DAY},?\s+{_y('y')}", re.IGNORECASE)),
    ("day_month_year_eu", re.compile(
        rf"\b{_DAY}\s+(?:of\s+)?(?P<month>{MONTH_RE}),?\s+{_y('y')}", re.IGNORECASE)),
    ("iso_date", re.compile(r"(?<![\w\-/])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\w\-/])")),
    ("qualified_month", re.compile(
        rf"\b(?:(?P<qual>early|mid|middle|late|the end of|the beginning of|the start of|the middle of)[\s-]+)(?P<month>{MONTH_RE}),?\s+{_y('y')}",
        re.IGNORECASE)),
    ("month_year", re.compile(rf"\b(?P<month>{MONTH_RE}),?\s+(?:of\s+)?{_y('y')}", re.IGNORECASE)),
    ("season", re.compile(
        rf"\b(?:the\s+)?(?:(?P<qual>early|late|mid)[\s-]+)?(?P<season>spring|summer|fall|autumn|winter)\s+(?:of\s+)?{_y('y')}",
        re.IGNORECASE)),
    ("quarter", re.compile(
        rf"\b(?:(?:the\s+)?(?P<ordq>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?|Q(?P<q>[1-4])\s+){_y('y')}",
        re.IGNORECASE)),
    ("half", re.compile(rf"\b(?:the\s+)?(?P<ordh>first|second)\s+half\s+of\s+{_y('y')}", re.IGNORECASE)),
    ("decade", re.compile(
        r"\b(?:the\s+)?(?:(?P<qual>early|mid|late)[\s-]+)?(?P<dec>(?:1[6-9]|20)\d0)'?s\b|\b(?:the\s+)?'(?P<dec2>\d0)s\b",
        re.IGNORECASE)),
    ("century", re.compile(
        rf"\b(?:the\s+)?(?P<ord>{ORD_RE})\s+century\b", re.IGNORECASE)),
    ("anniversary", re.compile(
        rf"\b(?:the\s+)?(?P<ord>{ORD_RE})\s+(?:anniversary\s+of|year\s+since|years\s+since)\s+(?P<event>the\s+[\w\s'/.-]{{3,60}}?)(?=[,.;:)]|\s+(?:and|was|is|when|in|as|but)\b|$)",
        re.IGNORECASE)),
    ("since_year", re.compile(rf"\b(?P<kw>since|after|before|until|by)\s+{_y('y')}", re.IGNORECASE)),
    ("qualified_year", re.compile(rf"\b{_QUAL}[\s-]+{_y('y')}", re.IGNORECASE)),
    ("year", re.compile(_y("y"))),
    ("month_day", re.compile(rf"\b(?P<month>{MONTH_RE})\s+{_DAY}(?![\d,]*\s*\d{{4}})\b", re.IGNORECASE)),
    # the day first, as British, Commonwealth and European texts write it: "on 16 March",
    # "the 16th of March" (with a year it is day_month_year_eu above)
    ("day_month", re.compile(
        rf"\b{_DAY}\s+(?:of\s+)?(?P<month>{MONTH_RE})\b(?!,?\s*(?:of\s+)?\d{{4}})", re.IGNORECASE)),
    ("relative_span", re.compile(
        rf"\b(?:in|over|during|within)\s+the\s+(?P<dir>next|past|last|coming|previous|following)\s+(?:{_NUMW}\s+)?{_UNIT}",
        re.IGNORECASE)),
    ("ago", re.compile(rf"\b{_NUMW}\s+{_UNIT}\s+ago\b", re.IGNORECASE)),
    ("relative", re.compile(
        r"\b(?P<rel>yesterday|today|tomorrow|(?:last|this|next|earlier this|later this)\s+(?P<u>week|month|year|spring|summer|fall|autumn|winter))\b",
        re.IGNORECASE)),
    ("weekday", re.compile(
        r"\b(?:on|last|this|next)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
]  # fmt: skip

#: a cheap test: no date expression can match text without one of these
_ANY_DATE = re.compile(
    rf"\d|{MONTH_RE}|spring|summer|fall|autumn|winter|yesterday|today|tomorrow|\b(?:last|this|next|earlier|later|past|coming)\b"
    r"|\bago\b|day|century|[a-z]ieth|'\d0s",
    re.IGNORECASE,
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_WORD_BLOCK = re.compile(r"^(?:may|march)$", re.IGNORECASE)


def _qualified(y: int, m: int | None, qual: str | None) -> tuple[str, str, str | None]:
    """Bounds of a month or year narrowed by early / mid / late / the end of ..."""
    q = (qual or "").lower()
    if m is None:
        b, e = _year_bounds(y)
        if q in ("early", "the beginning of", "the start of", "the first half of"):
            e = iso(y, 6 if "half" in q else 4, 30)
        elif q in ("mid", "middle", "the middle of"):
            b, e = iso(y, 5, 1), iso(y, 8, 31)
        elif q in ("late", "the end of", "the second half of"):
            b = iso(y, 7 if "half" in q else 9, 1)
        return b, e, q or None
    b, e = _month_bounds(y, m)
    last = _last_day(y, m)
    if q in ("early", "the beginning of", "the start of"):
        e = iso(y, m, 10)
    elif q in ("mid", "middle", "the middle of"):
        b, e = iso(y, m, 11), iso(y, m, 20)
    elif q in ("late", "the end of"):
        b, e = iso(y, m, 21), iso(y, m, last)
    return b, e, q or None


def _shift_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, _last_day(y, m + 1)))


def _num(word: str | None) -> int:
    if not word:
        return 1
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower(), 1)


def _relative(kind: str, m: re.Match[str], ref: date | None) -> DateExpr | None:
    text = m.group(0)
    base = DateExpr(m.start(), m.end(), text, None, "day", relative=True, rule=kind)
    if kind == "relative_span":
        unit = m.group("unit").lower()
        base.precision = unit
        if ref is None:
            return base
        n = _num(m.group("n"))
        forward = m.group("dir").lower() in ("next", "coming", "following")
        delta = {"day": n, "week": 7 * n, "month": 0, "year": 0, "decade": 0}[unit]
        if unit in ("month", "year", "decade"):
            months = n * {"month": 1, "year": 12, "decade": 120}[unit]
            other = _shift_months(ref, months if forward else -months)
        else:
            other = ref + timedelta(days=delta if forward else -delta)
        lo, hi = (ref, other) if forward else (other, ref)
        base.begin, base.until = lo.isoformat(), hi.isoformat()
        base.value = f"{lo.isoformat()}/{hi.isoformat()}"
        return base
    if kind == "ago":
        unit = m.group("unit").lower()
        base.precision = unit
        if ref is None:
            return base
        n = _num(m.group("n"))
        if unit in ("month", "year", "decade"):
            d = _shift_months(ref, -n * {"month": 1, "year": 12, "decade": 120}[unit])
        else:
            d = ref - timedelta(days=n * (7 if unit == "week" else 1))
        base.value = d.isoformat()[
            : {"day": 10, "week": 10, "month": 7, "year": 4, "decade": 4}[unit]
        ]
        base.begin = base.until = d.isoformat()
        return base
    if kind == "weekday":
        base.precision = "day"
        if ref is None:
            return base
        wd = _WEEKDAYS.index(m.group("wd").lower())
        back = (ref.weekday() - wd) % 7 or 7
        lead = text.split()[0].lower()
        d = (
            ref + timedelta(days=(7 - back) % 7 or 7)
            if lead == "next"
            else ref - timedelta(days=back)
        )
        base.value = base.begin = base.until = d.isoformat()
        return base
    rel = m.group("rel").lower()
    if rel in ("yesterday", "today", "tomorrow"):
        base.precision = "day"
        if ref is None:
            return base
        d = ref + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[rel])
        base.value = base.begin = base.until = d.isoformat()
        return base
    unit = m.group("u").lower()
    which = rel.rsplit(" ", 1)[0]
    step = {"last": -1, "this": 0, "next": 1, "earlier this": 0, "later this": 0}[which]
    if unit in SEASONS:
        base.precision = "season"
        if ref is None:
            return base
        code, m1, m2 = SEASONS[unit]
        y = ref.year + step
        base.value = f"{y}-{code}"
        base.begin = iso(y, m1, 1)
        base.until = iso(y + 1 if m2 < m1 else y, m2, _last_day(y + 1 if m2 < m1 else y, m2))
        return base
    base.precision = unit
    if ref is None:
        return base
    if unit == "week":
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
        base.begin, base.until = monday.isoformat(), (monday + timedelta(days=6)).isoformat()
        base.value = f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}"
    elif unit == "month":
        d = _shift_months(ref.replace(day=1), step)
        base.value = iso(d.year, d.month)
        base.begin, base.until = _month_bounds(d.year, d.month)
    else:
        y = ref.year + step
        base.value = iso(y)
        base.begin, base.until = _year_bounds(y)
    if which == "earlier this" and base.until:
        base.until = ref.isoformat()
    if which == "later this" and base.begin:
        base.begin = ref.isoformat()
    return base


def _build(kind: str, m: re.Match[str], ref: date | None) -> DateExpr | None:
    g = m.groupdict()
    text = m.group(0)

    def mk(value: str | None, precision: str, b: str | None, e: str | None, **kw: Any) -> DateExpr:
        return DateExpr(m.start(), m.end(), text, value, precision, b, e, rule=kind, **kw)

    if kind == "month_range":
        y = int(g["y"])
        m1, m2 = month_number(g["m1"]), month_number(g["m2"])
        if not m1 or not m2:
            return None
        y1 = y - 1 if m1 > m2 else y
        return mk(
            iso(y1, m1),
            "month",
            _month_bounds(y1, m1)[0],
            _month_bounds(y, m2)[1],
            end_value=iso(y, m2),
        )
    if kind == "year_range":
        y1 = int(g["y1"])
        y2 = _two_digit_year(y1, g["y2"])
        if not y1 < y2 <= y1 + 200:
            return None
        return mk(iso(y1), "year", _year_bounds(y1)[0], _year_bounds(y2)[1], end_value=iso(y2))
    if kind in ("day_month_year", "day_month_year_eu", "iso_date"):
        if kind == "iso_date":
            y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        else:
            y, d = int(g["y"]), int(g["day"])
            mo = month_number(g["month"]) or 0
        if not valid_day(y, mo, d):
            return None
        v = iso(y, mo, d)
        return mk(v, "day", v, v)
    if kind == "qualified_month":
        y, mq = int(g["y"]), month_number(g["month"])
        if not mq:
            return None
        b, e, q = _qualified(y, mq, g["qual"])
        return mk(iso(y, mq), "month", b, e, qualifier=q)
    if kind == "month_year":
        y, my = int(g["y"]), month_number(g["month"])
        if not my:
            return None
        b, e = _month_bounds(y, my)
        return mk(iso(y, my), "month", b, e)
    if kind == "season":
        y = int(g["y"])
        code, m1, m2 = SEASONS[g["season"].lower()]
        y2 = y + 1 if m2 < m1 else y
        return mk(
            f"{y}-{code}",
            "season",
            iso(y, m1, 1),
            iso(y2, m2, _last_day(y2, m2)),
            qualifier=(g.get("qual") or None),
        )
    if kind == "quarter":
        y = int(g["y"])
        qn = (
            int(g["q"])
            if g.get("q")
            else {
                "first": 1,
                "second": 2,
                "third": 3,
                "fourth": 4,
                "1st": 1,
                "2nd": 2,
                "3rd": 3,
                "4th": 4,
            }[g["ordq"].lower()]
        )
        m1 = 3 * (qn - 1) + 1
        return mk(f"{y}-{32 + qn}", "quarter", iso(y, m1, 1), iso(y, m1 + 2, _last_day(y, m1 + 2)))
    if kind == "half":
        y = int(g["y"])
        h = 1 if g["ordh"].lower() == "first" else 2
        return mk(
            f"{y}-{39 + h}",
            "half",
            iso(y, 1 if h == 1 else 7, 1),
            iso(y, 6, 30) if h == 1 else iso(y, 12, 31),
        )
    if kind == "decade":
        if g.get("dec"):
            dec = int(g["dec"])
        else:
            two = int(g["dec2"])
            dec = (1900 if two >= 30 else 2000) + two
        b, e = iso(dec, 1, 1), iso(dec + 9, 12, 31)
        q = (g.get("qual") or "").lower() or None
        if q == "early":
            e = iso(dec + 3, 12, 31)
        elif q == "mid":
            b, e = iso(dec + 3, 1, 1), iso(dec + 6, 12, 31)
        elif q == "late":
            b = iso(dec + 6, 1, 1)
        return mk(f"{dec // 10}X", "decade", b, e, qualifier=q)
    if kind == "century":
        n = ordinal_value(g["ord"])
        if not n or n > 21:
            return None
        start = (n - 1) * 100 + 1
        return mk(f"{(n - 1):02d}XX", "century", iso(start, 1, 1), iso(start + 99, 12, 31))
    if kind == "anniversary":
        n = ordinal_value(g["ord"])
        event = " ".join(g["event"].lower().split()).rstrip(".")
        base = ANCHOR_EVENTS.get(event)
        if n is None or base is None:
            return None
        y = base + n
        return mk(iso(y), "year", *_year_bounds(y))
    if kind == "since_year":
        y = int(g["y"])
        kw = g["kw"].lower()
        if kw in ("since", "after"):
            b = _year_bounds(y)[0] if kw == "since" else iso(y + 1, 1, 1)
            return mk(f"{y}/..", "year", b, ref.isoformat() if ref else None, qualifier=kw)
        e = _year_bounds(y)[1] if kw in ("by", "until") else iso(y - 1, 12, 31)
        return mk(f"../{y}", "year", None, e, qualifier=kw)
    if kind == "qualified_year":
        y = int(g["y"])
        b, e, q = _qualified(y, None, g["qual"])
        return mk(iso(y), "year", b, e, qualifier=q)
    if kind == "year":
        y = int(g["y"])
        return mk(iso(y), "year", *_year_bounds(y))
    if kind in ("month_day", "day_month"):
        if _MONTH_WORD_BLOCK.match(g["month"]) and g["month"][0].islower():
            return None
        md, dd = month_number(g["month"]), int(g["day"])
        partial = DateExpr(m.start(), m.end(), text, None, "day", relative=True, rule=kind)
        if not md or ref is None or not valid_day(ref.year, md, dd):
            return partial if md else None
        partial.value = partial.begin = partial.until = iso(ref.year, md, dd)
        return partial
    return _relative(kind, m, ref)


def find_dates(text: str, ref: date | None = None) -> list[DateExpr]:
    """Every date expression in ``text``, earliest first, no two overlapping.

    ``ref`` is the reference date for relative expressions ("last week", "on
    Tuesday", "September 30" without a year); without it they are returned with
    ``value=None`` and ``relative=True``.
    """
    if not _ANY_DATE.search(text):
        return []
    # the spans taken so far, sorted and disjoint: an overlap test is two look-ups, so a
    # whole book is read in linear time
    starts: list[int] = []
    ends: list[int] = []
    out: list[DateExpr] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            k = bisect.bisect_right(starts, m.start())
            if (k and ends[k - 1] > m.start()) or (k < len(starts) and starts[k] < m.end()):
                continue
            if (
                kind in ("month_year", "month_day", "day_month")
                and m.group("month").lower() == "may"
                and m.group("month")[0] == "m"
            ):
                continue  # the modal verb
            expr = _build(kind, m, ref)
            if expr is None:
                continue
            starts.insert(k, m.start())
            ends.insert(k, m.end())
            out.append(expr)
    out.sort(key=lambda e: e.start)
    return out


def first_explicit_date(text: str) -> str | None:
    """The value of the first absolute day/month/year date in ``text`` (for notes)."""
    for expr in find_dates(text):
        if (
            not expr.relative
            and expr.precision in ("day", "month", "year")
            and expr.rule != "since_year"
        ):
            return expr.value
    return None
