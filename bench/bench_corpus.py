"""Corpus ingest throughput on 1 and 2 local Dask workers, against raw text extraction of the same files.

    python bench/bench_corpus.py [--reports N] [--batch B] [--near M] [--build DIR]

N random valid reports (default 2,000; ``--reports 100000`` for the issue's figure) are
written by gongkai's own writers in every layout the reader reads, plus the real files of
../shared/corpus when present:

    md    pipe rows (render 'md')                                 35 %
    html  a report page (render 'html')                            30 %
    txt   text export: the HTML page saved as text, a table row    25 %
          a line, cells separated by tabs (as a browser or a site's
          "导出文本" prints it)
    json  report JSON (render 'json')                              10 %
    docx  render 'docx'                       1 % of all (every 100th report)
    pdf   render 'pdf'                        0.5 % of all (every 200th report)

DOCX and PDF take the places of other layouts, so the mix is 1.5 % office files, the rest
text.  Report n is drawn from its own seed, so the files of a small run are the first files
of a large one; they are cached under ``build/bench-corpus/<generator>/`` in chunks, with
the expected cells, and a rerun only generates what is missing.

An agency publishes one report a year, 2019-2025 (2019 and 2020 in the 2019 format); its
政府办 sometimes prints its short name.  9 in 10 reports balance (every 勾稽关系 holds), the
others carry random numbers; 3 % of the cells are blank, except in text exports (a plain
text row cannot tell where a blank cell was: the reader leaves such a row null with an
issue, tested in tests/report).  1 in 100 reports' text states a wrong count.

In the same run it measures (a) the plainest text extraction of the same files in this
process (read the bytes; charset decode for text, lxml text_content for HTML, the document
XML's text for DOCX, ``pdftotext`` for PDF), (b) ``gongkai corpus ingest`` on a LocalCluster
of 1 and of 2 worker processes (cluster start not counted; the driver hashes, plans and
writes the Parquet in this process), then the derived tables (agencies, flags) once, (c)
that the 1- and 2-worker corpora hold the same rows, (d) how many generated reports did
not come back equal (agency, year, format, every cell with its blanks, and the sections'
text, whitespace aside: a PDF's text layer does not keep spaces between CJK characters) —
must be 0, the benchmark fails otherwise, (e) DuckDB time for each named question over the
result, (f) near-duplicate section detection (flags text_copied, text_repeats_previous_year)
over M generated reports' three sections (default min(N, 2000)), against folding and
shingling the same texts alone.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_parse import extract_text  # noqa: E402
from gongkai.corpus import similar  # noqa: E402
from gongkai.corpus.ingest import OnDask, ingest, rebuild_derived  # noqa: E402
from gongkai.corpus.query import QUESTIONS, connect  # noqa: E402
from gongkai.corpus.rows import cell_rows  # noqa: E402
from gongkai.corpus.store import Store  # noqa: E402
from gongkai.report import taxonomy as tx  # noqa: E402
from gongkai.report.model import AnnualReport  # noqa: E402
from gongkai.report.write import render  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"  # ../shared beside the repository
GENERATOR = "g3"  # bump when the reports drawn or the layouts change: the cache is keyed by it
CHUNK = 500
YEARS = tuple(range(2019, 2026))
CITIES = ("南京", "苏州", "无锡", "常州", "镇江", "扬州", "泰州", "南通", "盐城", "淮安", "宿迁", "徐州", "连云港",
          "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "合肥", "芜湖",
          "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安", "宣城", "池州",
          "福州", "厦门", "莆田")
DISTRICTS = ("城关区", "新城区", "高新区", "经开区", "东城区", "南湖区", "北塘区", "西湖区", "江北区", "江南区",
             "河东区", "河西区", "山阳区", "临江县", "东阳县", "西平县", "南岭县", "北川县", "长乐县", "永安县",
             "平和县", "安远县", "宁海县", "清河县", "青山区", "白云区", "红星镇", "太平镇", "和平街道", "团结乡")
UNITS = ("人民政府办公室", "教育局", "公安分局", "民政局", "财政局", "自然资源局", "卫生健康委员会", "生态环境分局",
         "交通运输局", "农业农村局", "住房和城乡建设局", "市场监督管理局", "应急管理局", "人力资源和社会保障局", "统计局")


def layout_of(number: int) -> str:
    if number % 200 == 7:
        return "pdf"
    if number % 100 == 3:
        return "docx"
    bucket = number % 20
    return "md" if bucket < 7 else "html" if bucket < 13 else "txt" if bucket < 18 else "json"


def agency_of(number: int, rng: random.Random) -> str:
    index = number // len(YEARS)
    unit = UNITS[index % len(UNITS)]
    city = CITIES[index // len(UNITS) % len(CITIES)]
    district = DISTRICTS[index // (len(UNITS) * len(CITIES)) % len(DISTRICTS)]
    if unit == "人民政府办公室" and rng.random() < 0.3:
        unit = "政府办"  # the short name some years print
    return f"{city}市{district}{unit}"


def generated_report(number: int) -> AnnualReport:
    """Report ``number``, drawn from its own seed: agency number // 7, year 2019 + number % 7."""
    rng = random.Random(f"{GENERATOR}-{number}")
    year = YEARS[number % len(YEARS)]
    fmt = "2019" if year < 2021 else "2021"
    report = AnnualReport.empty(fmt, agency=agency_of(number, rng), year=year)
    blank_rate = 0.0 if layout_of(number) == "txt" else 0.03

    def count(high=60):
        return None if rng.random() < blank_rate else rng.randrange(0, high)

    if rng.random() < 0.9:
        _balanced_applications(report, rng)
    else:
        for row in report.applications.values():
            if row is not None:
                for column in row:
                    row[column] = count()
    for block, row in report.appeals.items():
        parts = {column: rng.randrange(0, 8) for column in tx.APPEAL_PARTS}
        report.appeals[block] = {**parts, "total": sum(parts.values())}
        for column in row:
            if rng.random() < blank_rate:
                report.appeals[block][column] = None
    specs = tx.PROACTIVE_2021 if fmt == "2021" else tx.PROACTIVE_2019
    proactive = report.proactive if fmt == "2021" else report.proactive_2019
    for key, row in proactive.items():
        for column in row:
            if column in specs[key].decimal:
                row[column] = None if rng.random() < blank_rate else round(rng.uniform(0, 5000), 2)
            else:
                row[column] = count(300)
    report.sync_shared_decisions()
    new = (report.applications.get("new") or {}).get("total")
    stated = new if new is None or rng.random() >= 0.01 else new + 7
    received = f"本年度共收到政府信息公开申请{stated}件，" if stated is not None else ""
    report.sections = {
        "overview": f"{year}年，本机关认真贯彻落实《条例》，{received}各项工作有序推进（第{number}号）。",
        "problems": "存在的主要问题：政策解读形式较为单一。",
        "other": "本机关无其他需要报告的事项。",
    }
    return report


def _balanced_applications(report: AnnualReport, rng: random.Random) -> None:
    """Parts drawn; row totals, （七）总计 and 本年新收 computed so that every 勾稽关系 holds."""
    apps = report.applications
    outcomes = report.outcome_keys()
    for key in (*outcomes, "carried_forward"):
        apps[key] = {column: rng.randrange(0, 12) for column in tx.APPLICANT_PARTS}
    apps["total"] = {column: sum(apps[key][column] for key in outcomes) for column in tx.APPLICANT_PARTS}
    apps["carried_over"], apps["new"] = {}, {}
    for column in tx.APPLICANT_PARTS:
        handled = apps["total"][column] + apps["carried_forward"][column]
        apps["carried_over"][column] = rng.randrange(0, handled + 1)
        apps["new"][column] = handled - apps["carried_over"][column]
    for key in report.application_row_keys():
        apps[key]["total"] = sum(apps[key][column] for column in tx.APPLICANT_PARTS)


_BLOCKS = {"p", "h1", "h2", "h3", "h4", "div", "li", "caption"}


def text_export(page: bytes) -> bytes:
    """The HTML page as text: a block a line, a table row a line with its cells tab-separated."""
    from lxml import html

    root = html.document_fromstring(page)
    lines: list[str] = []

    def walk(element) -> None:
        if element.tag == "tr":
            lines.append("\t".join(" ".join(cell.text_content().split()) for cell in element
                                   if cell.tag in ("td", "th")))
        elif element.tag in _BLOCKS and not element.xpath(".//table|.//p|.//div"):
            text = " ".join(element.text_content().split())
            if text:
                lines.append(text)
        else:
            for child in element:
                if child.tag not in ("script", "style"):
                    walk(child)

    walk(root.body)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def written(report: AnnualReport, layout: str) -> bytes:
    if layout == "txt":
        return text_export(render(report, "html"))
    return render(report, layout)


# ---------------------------------------------------------------- the cache of generated files


def chunk_dir(build: Path, chunk: int) -> Path:
    return build / GENERATOR / "files" / f"{chunk:04d}"


def expected_part(build: Path, chunk: int) -> Path:
    return build / GENERATOR / "expected" / f"chunk-{chunk:04d}.parquet"


def generate_chunk(build: Path, chunk: int) -> int:
    """Write the chunk's files and, last (the chunk's commit), its expected rows; returns files written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = chunk_dir(build, chunk)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    reports, cells = [], []
    for number in range(chunk * CHUNK, (chunk + 1) * CHUNK):
        report, layout = generated_report(number), layout_of(number)
        data = written(report, layout)
        path = folder / f"{number:06d}.{layout}"
        path.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        reports.append({"report_id": digest, "number": number, "layout": layout, "path": str(path),
                        "agency": report.agency, "year": report.year, "format": report.format,
                        **{key: report.sections.get(key) for key in tx.PROSE_SECTIONS}})
        cells.extend({"report_id": digest, "where": c["where"], "value": c["value"]} for c in cell_rows(report, digest))
    target = expected_part(build, chunk)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(cells), target.with_suffix(".cells.parquet"))
    temporary = target.with_name(f".{target.name}.tmp")
    pq.write_table(pa.Table.from_pylist(reports), temporary)
    os.replace(temporary, target)
    return CHUNK


def ensure_generated(build: Path, count: int, processes: int) -> tuple[int, float]:
    chunks = range((count + CHUNK - 1) // CHUNK)
    missing = [chunk for chunk in chunks if not expected_part(build, chunk).exists()]
    started = time.perf_counter()
    if missing:
        with ProcessPoolExecutor(processes) as pool:
            list(pool.map(generate_chunk, [build] * len(missing), missing))
    return len(missing) * CHUNK, time.perf_counter() - started


def expected_tables(build: Path, count: int) -> tuple[str, str]:
    """DuckDB sources of the expected reports and cells of reports 0 … count-1."""
    chunks = range((count + CHUNK - 1) // CHUNK)
    reports = [str(expected_part(build, chunk)) for chunk in chunks]
    cells = [str(expected_part(build, chunk).with_suffix(".cells.parquet")) for chunk in chunks]
    return (f"(SELECT * FROM read_parquet({reports!r}) WHERE number < {count})",
            f"(SELECT c.* FROM read_parquet({cells!r}) c SEMI JOIN read_parquet({reports!r}) r "
            f"ON r.report_id = c.report_id AND r.number < {count})")


def source_list(build: Path, count: int) -> tuple[Path, dict[str, int]]:
    """A list file (one path a line) of the generated files of reports 0 … count-1, and the mix."""
    import duckdb

    reports, _ = expected_tables(build, count)
    rows = duckdb.sql(f"SELECT path, layout FROM {reports} ORDER BY number").fetchall()
    listing = build / GENERATOR / f"reports-{count}.lst"
    listing.write_text("".join(f"{path}\n" for path, _ in rows), encoding="utf-8")
    mix: dict[str, int] = {}
    for _, layout in rows:
        mix[layout] = mix.get(layout, 0) + 1
    return listing, mix


# ---------------------------------------------------------------- measurements


def raw_text(path: Path) -> str:
    """The plainest way to get the text of a file at all, by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, check=False).stdout.decode()
    kind = {".html": "html", ".htm": "html", ".docx": "docx"}.get(suffix, "text")
    return extract_text(kind, path.read_bytes())


def extraction_rate(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        raw_text(path)
    return len(paths) / (time.perf_counter() - started)


def ingest_rate(sources: list[str], out: Path, workers: int, batch: int) -> tuple[float, object]:
    from distributed import Client, LocalCluster

    shutil.rmtree(out, ignore_errors=True)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        started = time.perf_counter()
        shown = [0]

        def progress(summary) -> None:  # a run stopped early still says how fast it went
            done = summary.read + summary.failed
            if done - shown[0] >= 5000:
                shown[0] = done
                print(f"  … {done} files, {done / (time.perf_counter() - started):.1f} files/s", flush=True)

        summary = ingest(sources, out, executor=OnDask(client), batch_size=batch, derive=False, on_batch=progress)
        seconds = time.perf_counter() - started
    return (summary.read + summary.failed) / seconds, summary


def same_rows(one: Path, two: Path) -> bool:
    import duckdb

    for table in ("reports", "cells", "issues", "failures"):
        present = [any((root / table).glob("*/part-*.parquet")) for root in (one, two)]
        if not any(present):
            continue  # no failures in either run: nothing to compare (DuckDB refuses an empty glob)
        if not all(present):
            return False
        a, b = (f"read_parquet('{root}/{table}/*/part-*.parquet', hive_partitioning = false)" for root in (one, two))
        # reader carries the version, the same in both; source rows are compared whole
        differ = duckdb.sql(f"SELECT count(*) FROM ((SELECT * FROM {a} EXCEPT SELECT * FROM {b}) "
                            f"UNION ALL (SELECT * FROM {b} EXCEPT SELECT * FROM {a}))").fetchall()[0][0]
        if differ:
            return False
    return True


def mismatches(con, build: Path, count: int) -> dict[str, int]:
    """Generated reports that did not come back equal, by what differs."""
    reports, cells = expected_tables(build, count)
    squeeze = "regexp_replace(coalesce({}, ''), '\\s+', '', 'g')"
    sections = " OR ".join(f"{squeeze.format('e.' + key)} <> {squeeze.format('s.' + key)}" for key in tx.PROSE_SECTIONS)
    missing, metadata, text = con.execute(f"""
        SELECT count(*) FILTER (WHERE s.report_id IS NULL),
               count(*) FILTER (WHERE s.report_id IS NOT NULL AND (e.agency IS DISTINCT FROM s.agency
                                OR e.year IS DISTINCT FROM s.year OR e.format IS DISTINCT FROM s.format)),
               count(*) FILTER (WHERE s.report_id IS NOT NULL AND ({sections}))
        FROM {reports} e LEFT JOIN reports_stored s USING (report_id)""").fetchone()
    stored_cells = f"(SELECT report_id, \"where\", value FROM cells SEMI JOIN {reports} e USING (report_id))"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE wrong_cells AS SELECT DISTINCT report_id FROM (
        (SELECT * FROM {cells} EXCEPT SELECT * FROM {stored_cells})
        UNION ALL (SELECT * FROM {stored_cells} EXCEPT SELECT * FROM {cells}))""")
    wrong_cells = con.execute("SELECT count(*) FROM wrong_cells").fetchone()[0]
    by_layout = con.execute(f"""
        SELECT e.layout, count(*) FROM {reports} e LEFT JOIN reports_stored s USING (report_id)
        WHERE s.report_id IS NULL OR e.agency IS DISTINCT FROM s.agency OR e.year IS DISTINCT FROM s.year
           OR e.format IS DISTINCT FROM s.format OR e.report_id IN (SELECT report_id FROM wrong_cells)
           OR {sections}
        GROUP BY 1 ORDER BY 1""").fetchall()
    return {"missing": missing, "agency/year/format": metadata, "cells": wrong_cells, "sections": text,
            **{f"  of which {layout}": n for layout, n in by_layout}}


def scaled_copy(source: Path, target: Path, times: int) -> int:
    """``source``'s partitioned parts written ``times`` over under ``target``, report ids made distinct
    (``<id>-<k>``), and its derived tables: the same files per report as the ingest wrote, ``times``
    as many reports.  Returns the reports in the copy."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from gongkai.corpus import schema

    shutil.rmtree(target, ignore_errors=True)
    for table in schema.PARTITIONED:
        key = "sha256" if table == "failures" else "report_id"
        for part in sorted((source / table).glob("*/part-*.parquet")):
            data = pq.read_table(part)
            (target / table / part.parent.name).mkdir(parents=True, exist_ok=True)
            for k in range(times):
                column = data.column(key)
                renamed = pc.if_else(pc.is_null(column), column, pc.binary_join_element_wise(column, pa.scalar(f"-{k}"), ""))
                pq.write_table(data.set_column(data.schema.get_field_index(key), key, renamed),
                               target / table / part.parent.name / f"{part.stem}-{k}.parquet")
    for table in schema.DERIVED:
        shutil.copy(source / f"{table}.parquet", target / f"{table}.parquet")
    return sum(pq.ParquetFile(part).metadata.num_rows for part in (target / "reports").glob("*/part-*.parquet"))


def time_questions(root: Path, label: str) -> None:
    for name in QUESTIONS:
        con = connect(root)  # each question on a fresh connection: nothing of the previous one cached
        started = time.perf_counter()
        rows = con.sql(QUESTIONS[name][1]).fetchall()
        print(f"duckdb {name:<20} {time.perf_counter() - started:>8.3f} s  ({len(rows)} rows; {label})", flush=True)


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
    parser.add_argument("--reports", type=int, default=2000, help="generated reports (default 2000)")
    parser.add_argument("--batch", type=int, default=200, help="files per Dask task (default 200, as the command)")
    parser.add_argument("--near", type=int, default=None, help="reports for the near-duplicate figure (min(N, 2000))")
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "bench-corpus",
                        help="cache of generated files (default build/bench-corpus)")
    parser.add_argument("--questions-at", type=int, default=None, metavar="M",
                        help="also time the questions over the corpus copied to at least M reports")
    parser.add_argument("--generate-only", action="store_true", help="fill the cache of generated files and stop")
    args = parser.parse_args(argv)
    build = args.build.resolve()
    if args.generate_only:
        written_now, seconds = ensure_generated(build, args.reports, processes=2)
        print(f"{written_now} reports generated in {seconds:.1f} s under {build / GENERATOR}")
        return 0
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores",
          flush=True)
    written_now, seconds = ensure_generated(build, args.reports, processes=2)
    listing, mix = source_list(build, args.reports)
    shown = ", ".join(f"{layout} {n} ({n / args.reports:.1%})" for layout, n in sorted(mix.items()))
    print(f"{args.reports} generated reports: {shown}; {written_now} written now in {seconds:.1f} s "
          f"(the rest from the cache {build / GENERATOR})", flush=True)
    sources = [str(listing)] + ([str(SHARED)] if SHARED.is_dir() else [])
    paths = [Path(line) for line in listing.read_text(encoding="utf-8").split()]
    paths += sorted(p for p in SHARED.rglob("*") if p.is_file()) if SHARED.is_dir() else []

    extract = extraction_rate(paths)
    print(f"{'':<34} {'files/s':>10} {'vs extract':>11}")
    print(f"{'raw text extraction, 1 process':<34} {extract:>10.1f} {1.0:>10.2f}x   ({len(paths)} files)", flush=True)
    work = build / "runs"
    code = 0
    for workers in (1, 2):
        rate, summary = ingest_rate(sources, work / f"corpus-{workers}", workers, args.batch)
        print(f"{f'ingest, {workers} worker(s)':<34} {rate:>10.1f} {rate / extract:>10.2f}x   "
              f"({summary.read} reports, {summary.failed} failures, {summary.batches} batches of {args.batch})",
              flush=True)
    out = work / "corpus-2"
    started = time.perf_counter()
    rebuild_derived(Store(out))
    print(f"derived tables (agencies, flags) over the corpus: {time.perf_counter() - started:.1f} s", flush=True)
    identical = same_rows(work / "corpus-1", out)
    print(f"1-worker and 2-worker corpora hold the same rows: {'yes' if identical else 'NO'}")
    con = connect(out)
    wrong = mismatches(con, build, args.reports)
    print(f"generated reports not equal to the report written: {wrong['missing'] + wrong['agency/year/format']} "
          f"missing or other agency/year/format, {wrong['cells']} with other cells, {wrong['sections']} with other "
          f"section text (of {args.reports})")
    for key, value in wrong.items():
        if key.startswith("  of which"):
            print(f"{key}: {value}")
    if not identical or any(wrong[key] for key in ("missing", "agency/year/format", "cells", "sections")):
        code = 1
    names, keys = con.execute("SELECT count(*), count(DISTINCT agency_key) FROM agencies").fetchone()
    flags = con.execute("SELECT flag, count(*) FROM flags GROUP BY 1 ORDER BY 1").fetchall()
    print(f"agencies: {names} names, {keys} agency_keys; flags: " + ", ".join(f"{f} {n}" for f, n in flags))
    time_questions(out, f"{summary.read} reports")
    if args.questions_at and args.questions_at > summary.read:
        times = -(-args.questions_at // max(1, summary.read))
        started = time.perf_counter()
        count = scaled_copy(out, work / "scaled", times)
        print(f"the corpus copied {times} times, report ids made distinct: {count} reports "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
        time_questions(work / "scaled", f"{count} reports")
    near_duplicates(args.near if args.near is not None else min(args.reports, 2000))
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return code


if __name__ == "__main__":
    sys.exit(main())
