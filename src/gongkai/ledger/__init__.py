"""The application ledger (依申请公开台账): read it, check it, count table 三, find late answers. No Django.

    ledger = read_ledger("台账.xlsx")
    result = report_from_ledger(ledger, 2021, agency="某区政府办公室")
    result.report.dumps()                                   # report JSON, table 三 filled
    result.table.ids("withheld.third_party_rights", "natural_person")
    len(result.findings.answered_late)

The contract is ../shared/spec/ledger.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from gongkai.report.model import AnnualReport
from gongkai.workdays import WorkCalendar, load_calendar

from .columns import COLUMN_LIST
from .deadlines import (
    DEFAULT_DUE_WITHIN,
    DeadlineFindings,
    DueDates,
    FindingList,
    calendar_errors,
    deadline_findings,
    due_dates,
)
from .errors import LedgerError, LedgerHasErrors, RowError, UnreadableLedger
from .parse import Ledger, parse_ledger
from .read import RawLedger, read_ledger_file
from .table import TableThree, relevant_to_year, report_format, table_three

__all__ = [
    "DEFAULT_DUE_WITHIN", "DeadlineFindings", "DueDates", "FindingList", "Ledger", "LedgerError", "LedgerHasErrors",
    "LedgerReport", "RawLedger", "RowError", "TableThree", "UnreadableLedger", "check_ledger", "deadline_findings",
    "due_dates", "ledger_from_columns", "ledger_from_records", "read_ledger", "report_format", "report_from_ledger", "table_three",
]


def read_ledger(path: str | Path) -> Ledger:
    """Read and parse a ledger file; row problems are in ``ledger.errors``, file problems raise."""
    return parse_ledger(read_ledger_file(path))


def ledger_from_records(records: Iterable[Mapping[str, object]], *, source: str = "<records>") -> Ledger:
    """Parse in-memory ledger records (dicts keyed by the English column keys) as if read from a file.

    Values may be text, ``date``, ``int`` or ``None``; dates are written ISO 8601, so every
    record goes through the same parsing, checks and counting rules as a ledger file.

        ledger_from_records([{"id": "1", "received": date(2021, 3, 5), "applicant_type": "natural_person"}])
    """
    records = list(records)
    return ledger_from_columns({column.key: [record.get(column.key) for record in records] for column in COLUMN_LIST},
                               source=source)


def ledger_from_columns(columns: Mapping[str, Sequence[object]], *, source: str = "<records>") -> Ledger:
    """Parse ledger columns (English column key → one value per row) as if read from a file.

    The same as :func:`ledger_from_records`, without a dict per row: a database reads its
    rows column by column, and 100,000 of them are parsed in a fraction of a second. A
    column left out is empty; all columns given must be of the same length.
    """
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"ledger columns differ in length: {sorted(lengths)}")
    rows = lengths.pop() if lengths else 0
    keys = [column.key for column in COLUMN_LIST]
    arrays = {key: pa.array([_cell_text(value) for value in columns[key]] if key in columns else [None] * rows,
                            pa.string()) for key in keys}
    raw = RawLedger(source, "records", None, keys, {key: i for i, key in enumerate(keys)}, arrays, first_row=1)
    return parse_ledger(raw)


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def check_ledger(ledger: Ledger, *, year: int | None = None, calendar: WorkCalendar | None = None) -> list[RowError]:
    """Every row error: the ledger's own, and rows whose deadline needs a year the calendar lacks.

    With ``year``, only rows that count in that year's table 三 need the calendar.
    """
    calendar = calendar or load_calendar()
    mask = relevant_to_year(ledger, year) if year is not None else None
    errors = ledger.errors + calendar_errors(ledger, due_dates(ledger, calendar), mask)
    return sorted(errors, key=RowError.sort_key)


@dataclass
class LedgerReport:
    table: TableThree
    findings: DeadlineFindings

    @property
    def report(self) -> AnnualReport:
        return self.table.report


def report_from_ledger(
    ledger: Ledger,
    year: int,
    *,
    agency: str | None = None,
    calendar: WorkCalendar | None = None,
    as_of: date | None = None,
    due_within: int = DEFAULT_DUE_WITHIN,
) -> LedgerReport:
    """Table 三 of ``year`` as a report (other tables null) and the year's deadline findings.

    Raises ``LedgerHasErrors`` when a row that could change the table has an error.  Rows
    whose due date cannot be computed for lack of a holiday schedule still count in the
    table; they are left out of the late / overdue / due-soon lists and named in a
    warning issue.
    """
    calendar = calendar or load_calendar()
    table = table_three(ledger, year, agency=agency)
    findings = deadline_findings(ledger, year, calendar=calendar, as_of=as_of, due_within=due_within)
    report = table.report
    report.source = {"file": ledger.path, "reader": "gongkai.ledger", "rows": len(ledger),
                     "deadlines": findings.summary()}
    if findings.no_calendar:
        first = findings.no_calendar[0]
        report.add_issue(
            "ledger.no_calendar", "warning", "applications",
            f"{len(findings.no_calendar)} 件申请缺少节假日安排、未计算答复期限，不在逾期和到期统计中；第一处：{first}",
        )
    return LedgerReport(table, findings)
