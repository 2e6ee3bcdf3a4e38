"""One self-contained HTML report: plots (inline PNG), tables, and a link from every
number to the evidence sentences and citations behind it."""

from __future__ import annotations

import base64
import html
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from entente.analysis import balance as bal
from entente.analysis import plots
from entente.analysis.relations import Tie, network_at
from entente.analysis.triangles import top_triads

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;font-size:.9rem}
th{background:#f3f3f3}.pos{color:#2e7d32;font-weight:bold}.neg{color:#c62828;font-weight:bold}.neu{color:#777}
.ev{border-left:3px solid #1565c0;padding:.3rem .6rem;margin:.4rem 0;background:#fafafa}
.ev small{color:#555}img{max-width:100%}code{background:#eee;padding:0 .2rem}
"""


def _img(paths: list[Path]) -> str:
    png = next(p for p in paths if p.suffix == ".png")
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(png.stem)}" src="data:image/png;base64,{data}">'


def _sign(s: int) -> str:
    return {
        1: '<span class="pos">+</span>',
        -1: '<span class="neg">−</span>',
        0: '<span class="neu">0</span>',
    }[s]


def _links(ids: list[str], limit: int = 12) -> str:
    out = " ".join(
        f'<a href="#ev-{html.escape(i)}">{html.escape(i.split(":")[-1])}</a>' for i in ids[:limit]
    )
    if len(ids) > limit:
        out += f" … (+{len(ids) - limit})"
    return out


def build(df: pd.DataFrame, at: date | None, title: str = "Entente report") -> str:
    ties = network_at(df, at)
    b = bal.analyse(ties)
    triads = top_triads(ties, 8)
    referenced: set[str] = set()
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
    ]
    parts.append(f"<h1>{html.escape(title)}</h1>")
    parts.append(f"<p>Signed network at <b>{at or 'all dates'}</b> from {len(df)} evidence rows "
                 f"({int((df['kind'] == 'event').sum())} event pairs, {int((df['kind'] == 'assessment').sum())} assessments). "
                 "Every number links to the sentences behind it (see <a href='#evidence'>Evidence</a>).</p>")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        parts.append("<h2>Signed network</h2>" + _img(plots.network_plot(ties, t / "network")))
        parts.append(
            "<h2>Ties</h2><table><tr><th>pair</th><th>sign</th><th>score</th><th>records</th><th>evidence</th></tr>"
        )
        for tie in sorted(ties.values(), key=lambda x: (-x.n, x.key)):
            referenced.update(tie.evidence)
            parts.append(
                f"<tr><td>{tie.key}</td><td>{_sign(tie.sign)}</td><td>{tie.score:+.2f}</td><td>{tie.n}</td><td>{_links(tie.evidence)}</td></tr>"
            )
        parts.append("</table>")
        parts.append("<h2>Strategic triangles</h2>")
        if triads:
            parts.append(
                "<table><tr><th>states</th><th>type</th><th>roles</th><th>balanced</th><th>evidence</th></tr>"
            )
            for tri in triads:
                roles = ", ".join(f"{s}: {r}" for s, r in tri.roles.items())
                ids = (
                    [i for k in tri.signs for i in ties[k].evidence]
                    if all(k in ties for k in tri.signs)
                    else []
                )
                parts.append(
                    f"<tr><td>{'–'.join(tri.states)}</td><td>{tri.type}</td><td>{roles}</td><td>{tri.balanced}</td><td>{tri.evidence} ({_links(ids, 6)})</td></tr>"
                )
            parts.append(
                "</table>"
                + _img(
                    plots.triangle_diagram(
                        triads[0], t / "triangle", f"{'–'.join(triads[0].states)}: {triads[0].type}"
                    )
                )
            )
        else:
            parts.append("<p>No triad with three signed ties.</p>")
        d = b.to_dict()
        parts.append("<h2>Structural balance</h2><table>")
        for k in ("ties", "triads", "balanced_share", "weakly_balanced_share", "triangle_index", "frustration_index",
                  "normalised_frustration", "walk_balance"):  # fmt: skip
            parts.append(f"<tr><th>{k.replace('_', ' ')}</th><td>{d[k]}</td></tr>")
        parts.append("</table>")
        if b.frustrated_ties:
            parts.append("<p>Most frustrated ties (flipping them restores balance): " + ", ".join(
                f"{f['pair']} ({_sign(f['sign'])}, in {f['unbalanced_triads']} unbalanced triads)" for f in b.frustrated_ties[:8]) + "</p>")  # fmt: skip
        if b.pivots:
            parts.append(
                "<p>Pivots: "
                + ", ".join(f"{p['state']} between {'/'.join(p['between'])}" for p in b.pivots[:10])
                + "</p>"
            )
        top_pairs = [x.key for x in sorted(ties.values(), key=lambda x: -x.n)[:4]]
        if top_pairs:
            parts.append(
                "<h2>Dyad timelines</h2>" + _img(plots.timeline(df, top_pairs, t / "timeline", "Y"))
            )
    parts.append("<h2 id='evidence'>Evidence</h2>")
    ev = (
        df[df["id"].isin(referenced)]
        .drop_duplicates("id")
        .sort_values(["day", "id"], na_position="last")
    )
    for _, r in ev.iterrows():
        cit = (
            f"<br><small>Source: {html.escape(str(r['citation']))}</small>"
            if isinstance(r["citation"], str)
            else ""
        )
        label = r["type"] if r["kind"] == "event" else "assessment"
        parts.append(f"<div class='ev' id='ev-{html.escape(r['id'])}'><small>{html.escape(r['id'])} · {label} · "
                     f"{html.escape(str(r['date']))} · {r['a']}–{r['b']} · weight {r['weight']:+.2f}</small><br>"
                     f"{html.escape(str(r['sentence']))}{cit}</div>")  # fmt: skip
    parts.append("</body></html>")
    return "\n".join(parts)


def tie_rows(ties: dict[str, Tie]) -> list[dict[str, Any]]:
    return [{"pair": t.key, "sign": t.sign, "score": t.score, "n": t.n} for t in ties.values()]
