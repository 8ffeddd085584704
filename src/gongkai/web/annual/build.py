"""An agency's annual report computed from the database.

* Table 三: the agency's applications become ledger records and go through
  ``gongkai.ledger`` — the same parsing, checks and counting rules as an imported ledger.
* Table 四: an appeal counts in year Y when it was filed within Y, or filed earlier and not
  yet decided on Y-01-01 (still pending when the year began).  Its result is the one
  standing on Y-12-31: decided on or before that day → its result; otherwise 尚未审结.
  This mirrors table 三's carried-over rule, so a case pending across a year end appears in
  both years, as pending in the first.
* Table 二: 规章 / 行政规范性文件 issued and repealed within Y and in force on Y-12-31 (issued
  on or before it and not repealed on or before it), from the register; decision counts
  and fees from the agency-year figures (null when not entered).

``annual_build`` also keeps, for every counted cell, the records behind it (application
numbers from the ledger's own explanation, appeal and register document ids from the very
loops and queries that count them), so a page can say which cases make a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import CharField, Func

from gongkai.ledger import TableThree, ledger_from_columns, table_three
from gongkai.ledger.columns import DATE_KEYS as LEDGER_DATE_KEYS
from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport
from gongkai.web.agencies.models import Agency
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Application, Consultation
from gongkai.web.registers.models import RegulatoryDocument, YearlyFigures


class IsoDate(Func):
    """A date as 'YYYY-MM-DD' text computed by the database: 100,000 rows then skip two conversions
    in Python (text → date by the driver, date → text for the ledger's parser)."""

    output_field = CharField()
    # SQLite stores a date as this very text; the cast drops the column's declared type, on which
    # Python's sqlite3 module would otherwise convert it to a date anyway.
    template = "CAST(%(expressions)s AS TEXT)"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra_context)


LEDGER_DATE_FIELDS = {"received": "received_on", "closed": "closed_on", "correction_requested": "correction_requested_on",
                      "correction_received": "correction_received_on", "extension_approved": "extension_approved_on"}


def application_ledger_columns(agency: Agency, year: int) -> dict[str, list]:
    """The ledger columns (spec/ledger.md keys) of the applications that could count in ``year``.

    Values are text as in a ledger file (dates ISO 8601), read as plain rows with the
    consultations in one query: an agency with 100,000 cases is read in about half a second
    (bench/bench_web.py).
    """
    first = date(year, 1, 1)
    # In the order of the (agency, received_on) index, so the database need not sort the rows.
    applications = (Application.objects.filter(agency=agency, received_on__lte=date(year, 12, 31))
                    .exclude(closed_on__lt=first).order_by("received_on", "pk"))
    spans = _finished_consultation_spans(agency, last_day=date(year, 12, 31))
    rows = list(applications.annotate(**{f"{key}_text": IsoDate(field) for key, field in LEDGER_DATE_FIELDS.items()})
                .values_list("pk", "number", "applicant_type", "outcome", "channel", "extension_days",
                             *(f"{key}_text" for key in LEDGER_DATE_FIELDS)))
    (pks, numbers, applicant_types, outcomes, channels, extension_days, received, closed, correction_requested,
     correction_received, extension_approved) = zip(*rows, strict=True) if rows else ([],) * 11
    channel_labels = dict(Application.Channel.choices)
    return {
        "id": list(numbers),
        "received": list(received),
        "applicant_type": list(applicant_types),
        "closed": list(closed),
        "outcome": [outcome if day else None for outcome, day in zip(outcomes, closed, strict=True)],
        "channel": [channel_labels.get(channel, channel) for channel in channels],
        "correction_requested": list(correction_requested),
        "correction_received": list(correction_received),
        "consultation_start": [spans[pk][0] if pk in spans else None for pk in pks],
        "consultation_end": [spans[pk][1] if pk in spans else None for pk in pks],
        "extension_days": [(days if approved else 0) or None
                           for days, approved in zip(extension_days, extension_approved, strict=True)],
    }


def application_ledger_records(agency: Agency, year: int):
    """The same ledger, a dict per application with dates as ``date`` (for exports: XLSX date cells)."""
    columns = application_ledger_columns(agency, year)
    keys = list(columns)
    for values in zip(*columns.values(), strict=True):
        record = dict(zip(keys, values, strict=True))
        for key, value in record.items():
            if isinstance(value, str) and key in LEDGER_DATE_KEYS:
                record[key] = date.fromisoformat(value)
        yield record


def _finished_consultation_spans(agency: Agency, *, last_day: date) -> dict[int, tuple[date, date]]:
    """Application id → (first finished consultation's start, last one's end), in start order."""
    spans: dict[int, tuple[date, date]] = {}
    finished = (Consultation.objects.filter(application__agency=agency, application__received_on__lte=last_day,
                                            end_on__isnull=False)
                .order_by("start_on", "pk").values_list("application_id", "start_on", "end_on"))
    for application_id, start, end in finished:
        first_start = spans[application_id][0] if application_id in spans else start
        spans[application_id] = (first_start, end)
    return spans


Cell = tuple[str, str]  # (row key, column key)


def _appeals_table(report: AnnualReport, agency: Agency, year: int) -> dict[Cell, list[int]]:
    """Fill table 四 and return the appeal ids behind each of its cells."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    ids: dict[Cell, list[int]] = {(block, column): [] for block in tx.APPEAL_BLOCK_KEYS
                                  for column in tx.APPEAL_COLUMN_KEYS}
    appeals = (Appeal.objects.filter(agency=agency, filed_on__lte=last).exclude(decided_on__lt=first)
               .order_by("filed_on", "pk"))
    for appeal in appeals:
        ids[(appeal.kind, appeal.result_at(last))].append(appeal.pk)
        ids[(appeal.kind, "total")].append(appeal.pk)
    report.appeals = {block: {column: len(ids[(block, column)]) for column in tx.APPEAL_COLUMN_KEYS}
                      for block in tx.APPEAL_BLOCK_KEYS}
    return ids


def _proactive_table(report: AnnualReport, agency: Agency, year: int) -> dict[Cell, list[int]]:
    """Fill table 二 and return the register document ids behind its counted cells."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    documents = RegulatoryDocument.objects.filter(agency=agency).order_by("issued_on", "pk")
    ids: dict[Cell, list[int]] = {}
    for kind in RegulatoryDocument.Kind.values:
        of_kind = documents.filter(kind=kind)
        cells = {
            "issued": of_kind.filter(issued_on__range=(first, last)),
            "repealed": of_kind.filter(repealed_on__range=(first, last)),
            "in_force": of_kind.filter(issued_on__lte=last).exclude(repealed_on__lte=last),
        }
        for column, queryset in cells.items():  # the keys are COUNTED_DOCUMENT_COLUMNS
            ids[(kind, column)] = list(queryset.values_list("pk", flat=True))
        report.proactive[kind] = {column: len(ids[(kind, column)]) for column in cells}
    figures = YearlyFigures.objects.filter(agency=agency, year=year).first()
    report.proactive["licensing"] = {"decisions": figures.licensing_decisions if figures else None}
    report.proactive["penalty"] = {"decisions": figures.penalty_decisions if figures else None}
    report.proactive["coercion"] = {"decisions": figures.coercion_decisions if figures else None}
    report.proactive["fees"] = {"amount_10k_yuan": figures.fees_as_number() if figures else None}
    return ids


COUNTED_DOCUMENT_COLUMNS = ("issued", "repealed", "in_force")


def cell_has_records(table: str, row: str, column: str) -> bool:
    """Whether a cell is counted from records a page can list (hand-entered figures are not)."""
    if table == "applications":
        return row in tx.APPLICATION_ROWS and column in tx.APPLICANT_COLUMN_KEYS
    if table == "appeals":
        return row in tx.APPEAL_BLOCKS and column in tx.APPEAL_COLUMN_KEYS
    if table == "proactive":
        return row in RegulatoryDocument.Kind.values and column in COUNTED_DOCUMENT_COLUMNS
    return False


@dataclass
class AnnualBuild:
    """The report of tables 二、三、四 and, per counted cell, the records behind it."""

    report: AnnualReport
    table_three: TableThree
    appeal_ids: dict[Cell, list[int]]
    document_ids: dict[Cell, list[int]]

    def has_records(self, table: str, row: str, column: str) -> bool:
        """Whether the cell is counted from records (the figures entered by hand are not)."""
        if table == "applications":
            return row in self.report.application_row_keys() and column in tx.APPLICANT_COLUMN_KEYS
        if table == "proactive" and self.report.format != "2021":
            return False
        return cell_has_records(table, row, column)

    def ids(self, table: str, row: str, column: str) -> list:
        """Application numbers (table 三), appeal ids (四) or register document ids (二) behind a cell.

        Raises ``KeyError`` for a cell that is not counted from records.
        """
        if not self.has_records(table, row, column):
            raise KeyError((table, row, column))
        if table == "applications":
            return self.table_three.ids(row, column)
        return list((self.appeal_ids if table == "appeals" else self.document_ids)[(row, column)])


def annual_build(agency: Agency, year: int) -> AnnualBuild:
    """Tables 二、三、四 of ``agency``'s report on ``year`` with the records behind every cell."""
    ledger = ledger_from_columns(application_ledger_columns(agency, year), source=f"数据库：{agency.full_name}")
    three = table_three(ledger, year, agency=agency.full_name)
    report = three.report
    report.source = {"reader": "gongkai.web", "applications": len(ledger)}
    appeal_ids = _appeals_table(report, agency, year)
    document_ids = _proactive_table(report, agency, year) if report.format == "2021" else {}
    return AnnualBuild(report, three, appeal_ids, document_ids)


def annual_report(agency: Agency, year: int) -> AnnualReport:
    """Tables 二、三、四 of ``agency``'s report on ``year`` from the database (sections left null)."""
    return annual_build(agency, year).report
