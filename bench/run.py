"""Run every benchmark in bench/ and print their figures: ``make bench``."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [("报告解析 / report parsing", ["bench_parse.py"]),
              ("命令行 / command line start and many files", ["bench_cli.py"]),
              ("PDF 与扫描件 / PDF against pdftotext -layout, OCR seconds per page", ["bench_pdf_ocr.py"]),
              ("台账 / ledger (1,000,000 rows)", ["bench_ledger.py"]),
              ("全文检索 / search (100,000 publications, SQLite)", ["bench_search.py"]),
              ("语料库 / corpus ingest on Dask, DuckDB questions", ["bench_corpus.py"]),
              ("语料库网页 / corpus explorer pages (5,000 generated reports)", ["bench_explorer.py"]),
              ("网站 / web: public form and staff list with 100,000 cases", ["bench_web.py"]),
              ("年报文字雷同 / copied report text (3,000 reports, MinHash LSH)", ["bench_copied.py"]),
              ("导出导入 / agency export and import (20,000 cases, SQLite)", ["bench_transfer.py"]),
              ("监督 / supervision: dashboard, digest and the daily job (300 units × 5 years × 1,000 cases)",
               ["bench_supervision.py"])]


def main() -> int:
    failed = 0
    for title, command in BENCHMARKS:
        script = HERE / command[0]
        if not script.exists():
            continue
        print(f"== {title}", flush=True)
        failed |= subprocess.call([sys.executable, str(script), *command[1:]])
    return failed


if __name__ == "__main__":
    sys.exit(main())
