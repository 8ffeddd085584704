"""Ledgers for the tests: CSV text, and ledgers built in memory for property tests."""

from __future__ import annotations

import csv
import io

import pyarrow as pa

from gongkai.ledger import Ledger
from gongkai.ledger.columns import COLUMNS, column_for_header
from gongkai.ledger.parse import parse_ledger
from gongkai.ledger.read import RawLedger

HEADERS = ["申请编号", "收到申请日期", "申请人类型", "办结日期", "办理结果"]


def csv_text(rows, headers=HEADERS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def ledger_from_records(records: list[dict]) -> Ledger:
    """A ledger from dicts keyed by column key (``received`` …), without a file."""
    keys = [column.key for column in COLUMNS.values()]
    headers = [COLUMNS[key].header for key in keys]
    fields = {column_for_header(h): i for i, h in enumerate(headers)}
    columns = {key: pa.array([r.get(key) for r in records], pa.string()) for key in keys}
    raw = RawLedger("<memory>", "csv", "utf-8", headers, fields, columns, first_row=2)
    return parse_ledger(raw)
