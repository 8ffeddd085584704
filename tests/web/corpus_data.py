"""A corpus of a few thousand generated reports for the explorer's tests, written straight to Parquet.

The rows are the ingest's own (``rows.report_row``, ``cell_rows``) and the derived tables are
rebuilt by the ingest's ``rebuild_derived``; only the reading of files is skipped, so that
thousands of reports take seconds.  Some cells are made unstated (null), some 2021-format
reports print the single （六）其他处理 row, and some reports have no 行政区划代码.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from gongkai.corpus.ingest import rebuild_derived
from gongkai.corpus.rows import Item, cell_rows, issue_rows, report_row
from gongkai.corpus.sample import consistent_report
from gongkai.corpus.store import Store

REGIONS = ("320000", "320100", "320113", "320115", "320113001000", "410000", "410300", "410302",
           "410302001000", "120116", None)
UNITS = ("人民政府办公室", "教育局", "民政局", "财政局", "卫生健康委员会")
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)


def generated_reports(count: int, seed: int = 7) -> list[tuple[object, str | None]]:
    rng = random.Random(seed)
    out = []
    agencies = max(1, count // len(YEARS))  # each agency has a report of every year
    for number in range(count):
        unit = number % agencies
        region = REGIONS[unit % len(REGIONS)]
        year = YEARS[(number // agencies) % len(YEARS)]
        agency = f"测试{unit}区{UNITS[unit % len(UNITS)]}"
        report = consistent_report(rng, agency=agency, year=year, scale=8.0 if number % 50 == 0 else rng.choice((0.8, 1.0, 1.2)),
                                   single_other=True if year >= 2021 and number % 13 == 0 else None)
        if number % 7 == 0:  # a cell the report does not state
            report.applications["granted"]["total"] = None
        if number % 11 == 0:
            report.applications["total"]["total"] = None
        if number % 17 == 0:
            report.appeals["review"]["corrected"] = None
        if number % 19 == 0:
            report.add_issue("applications.balance", "error", "applications.total.total", "测试：勾稽关系不成立")
        out.append((report, region))
    return out


def write_corpus(out: Path, reports) -> dict[str, object]:
    """The reports as a corpus at ``out``; returns report_id → report."""
    store = Store(out)
    store.lock()
    by_id = {}
    try:
        for batch in range(0, len(reports), 500):
            rows = {"reports": [], "cells": [], "issues": [], "failures": []}
            for report, region in reports[batch:batch + 500]:
                data = report.dumps().encode()
                report_id = hashlib.sha256(data + (region or "").encode()).hexdigest()
                item = Item(origin=f"generated/{report_id[:12]}.json", name=f"{report_id[:12]}.json",
                            sha256=report_id, size=len(data), region_code=region)
                report.source = {"kind": "json"}
                rows["reports"].append(report_row(report, item))
                rows["cells"].extend(cell_rows(report, report_id))
                rows["issues"].extend(issue_rows(report, report_id))
                by_id[report_id] = report
            store.commit(batch // 500, rows)
        rebuild_derived(store)
    finally:
        store.unlock()
    return by_id
