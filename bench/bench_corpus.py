"""Corpus ingest throughput on 1 and 2 local Dask workers, against raw text extraction of the same files.

    python bench/bench_corpus.py [--reports N] [--batch B]

N reports (default 2,000; ``--reports 100000`` for the full figure) are generated with
random numbers, some blank, in both formats, and written by gongkai's own text writers
(Markdown and HTML, half each), plus the real files of ../shared/corpus when present.
In the same run it measures (a) the plainest text extraction of the same files in this
process (decoding; lxml's text_content for HTML), (b) ``gongkai corpus ingest`` on a
LocalCluster of 1 and of 2 worker processes (cluster start not counted), (c) DuckDB
time for each named question over the result, and (d) near-duplicate section detection
(flags text_copied, text_repeats_previous_year) over N generated reports' three sections,
against folding and shingling the same texts alone (measured on the shared 2-core machine
under load 4-5: 2,000 reports 2.6 s, 10,000 reports 14 s, ~11x the folding alone).  Every generated report's cells must come
back from the Parquet equal to the report written; the benchmark fails otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_parse import extract_text  # noqa: E402
from gongkai.corpus import similar  # noqa: E402
from gongkai.corpus.ingest import OnDask, ingest  # noqa: E402
from gongkai.corpus.query import QUESTIONS, connect  # noqa: E402
from gongkai.corpus.rows import cell_rows  # noqa: E402
from gongkai.report import taxonomy as tx  # noqa: E402
from gongkai.report.model import AnnualReport  # noqa: E402
from gongkai.report.write import render  # noqa: E402

SHARED = ROOT.parent.parent / "shared" / "corpus"
PLACES = ("栖霞", "鼓楼", "玄武", "秦淮", "建邺", "雨花台", "江宁", "浦口", "六合", "溧水", "高淳", "梁园", "睢阳")
UNITS = ("区人民政府办公室", "区教育局", "区公安分局", "区民政局", "区财政局", "区自然资源局", "区卫生健康委员会")


def generated_report(rng: random.Random, number: int) -> AnnualReport:
    fmt = rng.choice(tx.FORMATS)
    year = rng.randrange(2019, 2021) if fmt == "2019" else rng.randrange(2021, 2026)
    report = AnnualReport.empty(fmt, agency=rng.choice(PLACES) + rng.choice(UNITS), year=year)

    def number_or_blank(decimal=False):
        if rng.random() < 0.03:
            return None
        return round(rng.uniform(0, 5000), 2) if decimal else rng.randrange(0, 60)

    for table in (report.applications, report.appeals):
        for row in table.values():
            if row is not None:
                for column in row:
                    row[column] = number_or_blank()
    specs = tx.PROACTIVE_2021 if fmt == "2021" else tx.PROACTIVE_2019
    proactive = report.proactive if fmt == "2021" else report.proactive_2019
    for key, row in proactive.items():
        for column in row:
            row[column] = number_or_blank(column in specs[key].decimal)
    report.sync_shared_decisions()
    report.sections = {"overview": f"一、总体情况 第{number}号报告。", "problems": "存在的主要问题。", "other": "无。"}
    return report


def write_reports(folder: Path, count: int) -> dict[str, AnnualReport]:
    rng = random.Random(12)
    expected = {}
    for number in range(count):
        report = generated_report(rng, number)
        fmt = "md" if number % 2 == 0 else "html"
        data = render(report, fmt)
        (folder / f"{number:06d}.{fmt}").write_bytes(data)
        expected[hashlib.sha256(data).hexdigest()] = report
    return expected


def extraction_rate(folder: Path) -> float:
    files = sorted(folder.iterdir())
    started = time.perf_counter()
    for path in files:
        extract_text("html" if path.suffix == ".html" else "text", path.read_bytes())
    return len(files) / (time.perf_counter() - started)


def ingest_rate(sources: list[str], out: Path, workers: int, batch: int) -> tuple[float, object]:
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster) as client:
        started = time.perf_counter()
        summary = ingest(sources, out, executor=OnDask(client), batch_size=batch)
        seconds = time.perf_counter() - started
    return (summary.read + summary.failed) / seconds, summary


def mismatches(out: Path, expected: dict[str, AnnualReport]) -> int:
    con = connect(out)
    stored: dict[str, dict] = {}
    for report_id, where, value in con.execute('SELECT report_id, "where", value FROM cells').fetchall():
        stored.setdefault(report_id, {})[where] = value
    wrong = 0
    for digest, report in expected.items():
        cells = {row["where"]: row["value"] for row in cell_rows(report, digest)}
        wrong += stored.get(digest) != cells
    return wrong


def section_text(rng: random.Random) -> str:
    phrases = ("政府信息公开", "政策解读", "依申请公开", "政务新媒体", "公开目录", "行政复议", "信息处理费")
    return "，".join(rng.choice(phrases) if rng.random() < 0.3 else
                    "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(rng.randrange(2, 6)))
                    for _ in range(rng.randrange(30, 60))) + "。"


def near_duplicates(count: int) -> None:
    """Sections 100-300 characters long; 5 % copy an earlier report's (another agency, or the
    agency's own previous year) with 1 % of the characters changed."""
    rng = random.Random(5)
    rows = []
    for n in range(count):
        row = {"report_id": f"r{n:06d}", "year": 2019 + n % 6, "agency_key": f"a{n // 6}",
               **{key: section_text(rng) for key in similar.SECTIONS}}
        if n and rng.random() < 0.05:
            source = rows[n - 1 if rng.random() < 0.5 else rng.randrange(n)]["problems"]
            row["problems"] = "".join("某" if rng.random() < 0.01 else c for c in source)
        rows.append(row)
    started = time.perf_counter()
    for section in similar.sections_of(rows):
        similar.shingles(section.text)
    baseline = time.perf_counter() - started
    import datasketch  # noqa: F401  (its import, scipy's, is not the detection's time)
    started = time.perf_counter()
    matches = similar.near_duplicates(similar.sections_of(rows))
    seconds = time.perf_counter() - started
    kinds = {kind: sum(m.kind == kind for m in matches) for kind in ("other_agency", "previous_year")}
    print(f"near-duplicate sections, {count} reports: {seconds:.2f} s ({seconds / baseline:.1f}x fold+shingle "
          f"alone, {baseline:.2f} s); {kinds['other_agency']} copied, {kinds['previous_year']} previous-year")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    try:
        files = work / "files"
        files.mkdir()
        started = time.perf_counter()
        expected = write_reports(files, args.reports)
        print(f"{args.reports} reports written (md, html) in {time.perf_counter() - started:.1f} s")
        sources = [str(files)] + ([str(SHARED)] if SHARED.is_dir() else [])
        extract = extraction_rate(files)
        print(f"{'':<28} {'files/s':>10} {'vs extract':>11}")
        print(f"{'raw text extraction':<28} {extract:>10.1f} {1.0:>10.2f}x")
        code = 0
        for workers in (1, 2):
            out = work / f"corpus-{workers}"
            rate, summary = ingest_rate(sources, out, workers, args.batch)
            print(f"{f'ingest, {workers} worker(s)':<28} {rate:>10.1f} {rate / extract:>10.2f}x"
                  f"   ({summary.read} reports, {summary.failed} failures)")
            wrong = mismatches(out, expected)
            print(f"  {len(expected) - wrong} of {len(expected)} generated reports came back equal")
            if wrong:
                code = 1
        con = connect(work / "corpus-2")
        for name in QUESTIONS:
            started = time.perf_counter()
            rows = con.sql(QUESTIONS[name][1]).fetchall()
            print(f"duckdb {name:<20} {time.perf_counter() - started:>8.3f} s  ({len(rows)} rows)")
        near_duplicates(args.reports)
        return code
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
