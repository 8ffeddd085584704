"""Table 三 and the deadline findings from a million-row ledger, against DuckDB's group-by.

    python bench/bench_ledger.py [--rows N] [--year Y] [--repeat R]

A realistic ledger CSV (Chinese headers, every optional column, notes with commas, 补正,
consultations and extensions on a few percent of rows) is generated into a temporary
directory.  Then, in the same run and on the same file:

* gongkai: ``read_ledger`` + ``report_from_ledger`` — reading, checking every row, table 三
  for the year, and every due date and deadline finding;
* DuckDB: one SQL group-by over the same CSV that counts table 三's flows and outcomes
  per applicant type (no validation, no deadlines).

Both are timed best-of-R; the ratio gongkai/DuckDB is printed, and DuckDB's counts are
checked against gongkai's table so both did the same counting.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402

from gongkai.ledger import read_ledger, report_from_ledger  # noqa: E402
from gongkai.report import taxonomy as tx  # noqa: E402
from gongkai.workdays import load_calendar  # noqa: E402

HEADERS = ["申请编号", "收到申请日期", "申请人类型", "申请方式", "办结日期", "办理结果", "补正告知日期", "补正收到日期",
           "征求意见开始日期", "征求意见结束日期", "延期工作日数", "备注"]
APPLICANTS = [("自然人", 85), ("商业企业", 8), ("科研机构", 1), ("社会公益组织", 1), ("法律服务机构", 3), ("其他", 2)]
OUTCOMES = [("予以公开", 40), ("部分公开", 10), ("本机关不掌握相关政府信息", 20), ("不予公开/保护第三方合法权益", 3),
            ("属于四类过程性信息", 2), ("没有现成信息需要另行制作", 5), ("信访举报投诉类申请", 6), ("重复申请", 4),
            ("要求提供公开出版物", 1), ("other.no_correction", 3), ("其他处理/其他", 6)]
CHANNELS = ["网上", "信函", "当面", "电子邮件", "传真"]
NOTES = ["", "", "", "", "已电话联系申请人", "涉及第三方，已书面征求意见", "申请内容较多, 分两次答复", "邮寄送达"]
FIRST_DAY, LAST_DAY = date(2019, 6, 1), date(2022, 12, 31)  # receipts; the ledger is "as of" the last day


def _weighted(pairs):
    return [value for value, weight in pairs for _ in range(weight)]


def write_ledger(path: Path, rows: int, seed: int = 2021) -> None:
    rng = random.Random(seed)
    applicants, outcomes = _weighted(APPLICANTS), _weighted(OUTCOMES)
    span = (LAST_DAY - FIRST_DAY).days
    iso = {}

    def day(d):  # formatting dates is most of the generation time; a ledger has few distinct days
        text = iso.get(d)
        if text is None:
            text = iso[d] = d.isoformat()
        return text

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for number in range(rows):
            received = FIRST_DAY + timedelta(days=rng.randrange(span))
            start = received
            requested = corrected = consult_start = consult_end = extension = ""
            kind = rng.random()
            if kind < 0.05:  # 补正
                requested_day = received + timedelta(days=rng.randrange(1, 10))
                start = requested_day + timedelta(days=rng.randrange(1, 15))
                requested, corrected = day(requested_day), day(start)
            elif kind < 0.08:  # consultation
                first = received + timedelta(days=rng.randrange(2, 10))
                start = first + timedelta(days=rng.randrange(5, 20))
                consult_start, consult_end = day(first), day(start)
            if rng.random() < 0.05:
                extension = str(rng.randrange(1, 21))
            closed_day = start + timedelta(days=rng.randrange(0, 45))
            closed, outcome = ("", "") if closed_day > LAST_DAY else (day(closed_day), rng.choice(outcomes))
            writer.writerow([f"GK{number:08d}", day(received), rng.choice(applicants), rng.choice(CHANNELS), closed, outcome,
                             requested, corrected, consult_start, consult_end, extension, rng.choice(NOTES)])


DUCKDB_SQL = """
WITH ledger AS (
    SELECT "申请人类型" AS applicant, "办理结果" AS outcome,
           CAST("收到申请日期" AS DATE) AS received, TRY_CAST("办结日期" AS DATE) AS closed
    FROM read_csv(?, all_varchar = true, header = true)
)
SELECT applicant, outcome,
       count(*) FILTER (WHERE received BETWEEN ? AND ?) AS new,
       count(*) FILTER (WHERE received < ? AND (closed IS NULL OR closed >= ?)) AS carried_over,
       count(*) FILTER (WHERE closed BETWEEN ? AND ?) AS closed_in_year,
       count(*) FILTER (WHERE received <= ? AND (closed IS NULL OR closed > ?)) AS carried_forward
FROM ledger
GROUP BY applicant, outcome
"""


def run_duckdb(path: Path, year: int):
    first, last = date(year, 1, 1), date(year, 12, 31)
    with duckdb.connect() as connection:
        return connection.execute(DUCKDB_SQL, [str(path), first, last, first, first, first, last, last, last]).fetchall()


def run_gongkai(path: Path, year: int):
    ledger = read_ledger(path)
    return report_from_ledger(ledger, year, calendar=load_calendar(), as_of=LAST_DAY)


def duckdb_table(groups) -> dict[str, dict[str, int]]:
    """DuckDB's groups folded into table 三 rows, to check both counted the same."""
    table: dict[str, dict[str, int]] = {}

    def add(row, column, count):
        table.setdefault(row, {}).setdefault(column, 0)
        table[row][column] += count

    for applicant, outcome, new, carried_over, closed, carried_forward in groups:
        column = tx.applicant_from_label(applicant)
        add("new", column, new)
        add("carried_over", column, carried_over)
        add("carried_forward", column, carried_forward)
        if outcome:
            add(tx.outcome_from_label(outcome), column, closed)
    return table


def best_of(repeat: int, function, *args):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as directory:
        path = Path(directory) / "ledger.csv"
        started = time.perf_counter()
        write_ledger(path, args.rows)
        size = os.path.getsize(path) / 2**20
        print(f"ledger: {args.rows:,} rows, {size:.0f} MiB CSV, generated in {time.perf_counter() - started:.1f} s")

        ours, result = best_of(args.repeat, run_gongkai, path, args.year)
        theirs, groups = best_of(args.repeat, run_duckdb, path, args.year)

        applications = result.report.applications
        expected = duckdb_table(groups)
        for row, columns in expected.items():
            for column, count in columns.items():
                if applications[row][column] != count:
                    print(f"MISMATCH {row}.{column}: gongkai {applications[row][column]}, DuckDB {count}")
                    return 1
        summary = result.findings.summary()
        print(f"table 三 {args.year}: new {applications['new']['total']:,}, carried over "
              f"{applications['carried_over']['total']:,}, closed {applications['total']['total']:,}, carried forward "
              f"{applications['carried_forward']['total']:,} (same counts as DuckDB)")
        print(f"findings: {summary['answered_late']:,} answered late, {summary['open_past_due']:,} open past due, "
              f"median {summary['median_working_days']} / p90 {summary['p90_working_days']} working days")
        print(f"gongkai read + check + table 三 + deadlines: {ours:.3f} s (best of {args.repeat})")
        print(f"DuckDB group-by over the same CSV:          {theirs:.3f} s (best of {args.repeat})")
        print(f"ratio gongkai / DuckDB: {ours / theirs:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
