"""Table 三 of the annual report from a parsed ledger (counting rules of spec/ledger.md).

For reporting year Y, with every date compared as a day:

* new: received within Y;
* carried_over: received before Y-01-01 and not closed before Y-01-01;
* each outcome row: closed within Y with that outcome, whatever the year received;
* total: the sum of the outcome rows;
* carried_forward: received on or before Y-12-31 and not closed on or before Y-12-31.

An application received on or before Y-12-31 and not closed before Y-01-01 is either new or
carried over, and either closed within Y or carried forward, so new + carried_over =
total + carried_forward holds in every column by construction.

Reports on 2019 and 2020 use the 2019 format, whose single （六）其他处理 row (key
``other``) takes the three 2021-format 其他处理 outcomes together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport

from .errors import LedgerHasErrors, RowError
from .parse import Ledger
from .values import APPLICANT_CODES, OUTCOME_CODES

FLOW_ROWS = ("new", "carried_over", "carried_forward")


def report_format(year: int) -> str:
    return "2021" if year >= tx.FIRST_YEAR_OF_2021_FORMAT else "2019"


def year_bounds(year: int) -> tuple[int, int]:
    return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()


def relevant_to_year(ledger: Ledger, year: int) -> pa.Array:
    """Rows that table 三 of ``year`` counts, plus rows whose dates are unreadable (they might be)."""
    first, last = year_bounds(year)
    received, closed = ledger.dates["received"], ledger.dates["closed"]
    received_in_time = pc.fill_null(pc.less_equal(received, last), True)
    open_in_year = pc.fill_null(pc.greater_equal(closed, first), True)
    return pc.and_(received_in_time, open_in_year)


def errors_for_year(ledger: Ledger, year: int, errors: list[RowError] | None = None) -> list[RowError]:
    """The row errors that could change table 三 of ``year``."""
    errors = ledger.errors if errors is None else errors
    if not errors:
        return []
    relevant = relevant_to_year(ledger, year)
    return [e for e in errors if e.index < 0 or relevant[e.index].as_py()]


def _closed_within(ledger: Ledger, first: int, last: int) -> pa.Array:
    closed = ledger.dates["closed"]
    return pc.and_(pc.greater_equal(closed, first), pc.less_equal(closed, last))


def _still_open_after(ledger: Ledger, day: int) -> pa.Array:
    return pc.fill_null(pc.greater(ledger.dates["closed"], day), True)


def row_mask(ledger: Ledger, year: int, row_key: str, fmt: str) -> pa.Array:
    """Which ledger records a row of table 三 counts (the counting rules of the module docstring)."""
    first, last = year_bounds(year)
    received = ledger.dates["received"]
    if row_key == "new":
        mask = pc.and_(pc.greater_equal(received, first), pc.less_equal(received, last))
    elif row_key == "carried_over":
        mask = pc.and_(pc.less(received, first), _still_open_after(ledger, first - 1))
    elif row_key == "carried_forward":
        mask = pc.and_(pc.less_equal(received, last), _still_open_after(ledger, last))
    else:
        codes = _outcome_codes_of_row(row_key, fmt)
        if codes is None:
            raise KeyError(row_key)
        mask = pc.and_(_closed_within(ledger, first, last),
                       pc.is_in(ledger.outcome, value_set=pa.array(codes, pa.int8())))
    return pc.fill_null(mask, False)


def _outcome_codes_of_row(row_key: str, fmt: str) -> list[int] | None:
    if row_key == "total":
        return list(range(len(OUTCOME_CODES)))
    if row_key == "other" and fmt == "2019":
        return [OUTCOME_CODES.index(key) for key in (*tx.OTHER_SUBROW_KEYS, "other")]
    if row_key in OUTCOME_CODES and row_key != "other":
        return [OUTCOME_CODES.index(row_key)]
    return None


@dataclass
class TableThree:
    """Table 三 of one year, as a report, with the records of the ledger behind every cell."""

    ledger: Ledger
    year: int
    report: AnnualReport

    def indices(self, row_key: str, column_key: str) -> list[int]:
        """Positions of the ledger records counted in a cell, in ledger order."""
        if row_key not in self.report.application_row_keys():
            raise KeyError(row_key)
        if column_key not in tx.APPLICANT_COLUMN_KEYS:
            raise KeyError(column_key)
        mask = row_mask(self.ledger, self.year, row_key, self.report.format)
        if column_key != "total":
            applicant = pc.equal(self.ledger.applicant, APPLICANT_CODES.index(column_key))
            mask = pc.and_(mask, pc.fill_null(applicant, False))
        return pc.indices_nonzero(mask).to_pylist()

    def ids(self, row_key: str, column_key: str) -> list[str]:
        """The application ids behind a cell: ``ids("withheld.third_party_rights", "natural_person")``."""
        return [self.ledger.ids[i].as_py() for i in self.indices(row_key, column_key)]


def _counts_by_applicant(applicant: pa.Array, mask: pa.Array) -> list[int]:
    counts = [0] * len(APPLICANT_CODES)
    selected = pc.filter(applicant, mask)
    tallies = pc.value_counts(selected)
    for code, count in zip(tallies.field("values").to_pylist(), tallies.field("counts").to_pylist(), strict=True):
        counts[code] = count
    return counts


def _row_values(counts: list[int]) -> dict[str, int]:
    values = dict(zip(APPLICANT_CODES, counts, strict=True))
    values["total"] = sum(counts)
    return values


def table_three(ledger: Ledger, year: int, *, agency: str | None = None) -> TableThree:
    """Count table 三 of ``year``; refuses when a row that could change it has an error."""
    blocking = errors_for_year(ledger, year)
    if blocking:
        raise LedgerHasErrors(blocking, path=ledger.path, purpose=f"生成 {year} 年的表三")
    fmt = report_format(year)
    report = AnnualReport.empty(fmt, agency=agency, year=year)
    for key in FLOW_ROWS:
        report.applications[key] = _row_values(_counts_by_applicant(ledger.applicant, row_mask(ledger, year, key, fmt)))

    # Every outcome row in one pass: count (outcome, applicant) pairs of the year's closings.
    closed_in_year = pc.fill_null(_closed_within(ledger, *year_bounds(year)), False)
    width = len(APPLICANT_CODES)
    pairs = pc.add(pc.multiply(pc.cast(pc.filter(ledger.outcome, closed_in_year), pa.int16()), width),
                   pc.cast(pc.filter(ledger.applicant, closed_in_year), pa.int16()))
    by_outcome = {key: [0] * width for key in OUTCOME_CODES}
    tallies = pc.value_counts(pairs)
    for pair, count in zip(tallies.field("values").to_pylist(), tallies.field("counts").to_pylist(), strict=True):
        by_outcome[OUTCOME_CODES[pair // width]][pair % width] += count
    if fmt == "2019":
        for key in tx.OTHER_SUBROW_KEYS:
            by_outcome["other"] = [a + b for a, b in zip(by_outcome["other"], by_outcome.pop(key), strict=True)]
    total = [0] * width
    for key in report.outcome_keys():
        report.applications[key] = _row_values(by_outcome[key])
        total = [a + b for a, b in zip(total, by_outcome[key], strict=True)]
    report.applications["total"] = _row_values(total)
    return TableThree(ledger, year, report)
