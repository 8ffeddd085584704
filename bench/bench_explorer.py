"""The corpus explorer's pages over a generated corpus, against one plain DuckDB query of the same Parquet.

    python bench/bench_explorer.py [--reports 5000] [--repeat 5]

A corpus of N generated reports (tests/web/corpus_data.py: six years, eleven region codes of every
level, some cells unstated) is written to a temporary folder. In the same run it times (a) the
baseline: a fresh DuckDB connection summing 予以公开 over one year's cells with plain read_parquet,
and (b) each explorer page through Django's test client (no server, public mode, DEBUG off): the
year's tables and charts, the same filtered by region, a cell's drill-down, a rate's drill-down and
one report. The first request of each page (views made, Parquet metadata read) is printed apart;
then the median of ``--repeat`` requests and its ratio to the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        os.environ.update(GONGKAI_CORPUS_DIR=str(root), GONGKAI_CORPUS_PUBLIC="1", GONGKAI_DATA_DIR=folder,
                          GONGKAI_SECRET_KEY="bench-only", GONGKAI_ALLOWED_HOSTS="testserver",
                          GONGKAI_SSL_REDIRECT="0", DJANGO_SETTINGS_MODULE="gongkai.web.settings")
        from tests.web.corpus_data import generated_reports, write_corpus

        started = time.perf_counter()
        write_corpus(root, generated_reports(args.reports))
        print(f"corpus: {args.reports} reports written in {time.perf_counter() - started:.1f} s")

        import django
        import duckdb

        django.setup()
        from django.test import Client

        def baseline():
            con = duckdb.connect()
            con.execute(f"""SELECT sum(value) FROM read_parquet('{root}/cells/*/*.parquet', hive_partitioning = false)
                            WHERE year = 2024 AND "where" = 'applications.granted.total'""").fetchall()

        base = statistics.median(_timed(baseline) for _ in range(args.repeat))
        print(f"baseline (plain DuckDB, one figure): {1000 * base:.1f} ms")
        client = Client()
        con = duckdb.connect()
        report_id = con.execute(f"SELECT report_id FROM read_parquet('{root}/reports/*/*.parquet') LIMIT 1").fetchone()[0]
        pages = [("year's tables and charts", "/corpus/?year=2024"),
                 ("filtered by region and level", "/corpus/?year=2024&region=32&level=county"),
                 ("a cell's reports", "/corpus/reports/?year=2024&cell=applications.granted.total"),
                 ("a rate's reports", "/corpus/reports/?year=2024&rate=granted"),
                 ("one report", f"/corpus/reports/{report_id}/")]
        for name, url in pages:
            def get(url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
            first = _timed(get)
            median = statistics.median(_timed(get) for _ in range(args.repeat))
            print(f"{name:<30} first {1000 * first:7.1f} ms   median {1000 * median:7.1f} ms   "
                  f"{median / base:5.1f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
