"""An agency's applications to and from a ledger file (../shared/spec/ledger.md), round trip exact.

Export writes the records ``annual.build`` counts for a year — the same records, so a
ledger exported from the database gives the same table 三 — as CSV (UTF-8 with BOM) or
XLSX, with the spec's Chinese headers and the outcome as its row key.

Import reads a ledger through ``gongkai.ledger`` (the same parsing and row checks as
``gongkai ledger check``); when any row is bad, ``LedgerHasErrors`` lists every one with
row, column and value in Chinese and nothing is stored.  Otherwise all rows are stored in
one transaction.  Each imported application gets a fresh number of the agency (numbers
are unique across the site and used by applicants to check progress); the ledger's
申请编号 is kept in the ``ledger_import`` event of the application, so re-importing the
same ledger matches on it and creates nothing twice, and an export writes it back.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.ledger import LedgerHasErrors, RowError, read_ledger
from gongkai.ledger.columns import COLUMN_LIST
from gongkai.ledger.values import APPLICANT_CODES, OUTCOME_CODES
from gongkai.report import taxonomy as tx
from gongkai.web.agencies.models import Agency
from gongkai.web.annual.build import application_ledger_records

from .models import Application, ApplicationEvent, Consultation
from .services import application_numbers_allocate, new_query_code

IMPORT_ACTION = "ledger_import"
IMPORTED_APPLICANT_NAME = "（台账导入）"
IMPORTED_PARTY = "（台账导入）"
# A ledger may leave 申请方式 empty; such applications are recorded as received by letter.
DEFAULT_CHANNEL = Application.Channel.LETTER
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # XLSX members carry no clock time, so equal data → equal bytes
HEADERS = [column.header for column in COLUMN_LIST]


@dataclass(frozen=True)
class ImportResult:
    created: int
    existing: int  # rows whose 申请编号 the agency already has: not imported again

    def __str__(self) -> str:
        return f"导入 {self.created} 件申请，{self.existing} 件已存在未重复导入"


# ---------------------------------------------------------------- export


def ledger_ids(agency: Agency) -> dict[str, str]:
    """Application number → the 申请编号 of the ledger it was imported from (imported applications only)."""
    events = ApplicationEvent.objects.filter(application__agency=agency, action=IMPORT_ACTION)
    return {number: data["ledger_id"] for number, data in events.values_list("application__number", "data")}


def ledger_export_rows(agency: Agency, year: int) -> list[list[object]]:
    """The rows (without header) of ``agency``'s ledger for ``year``: every application counted in that year."""
    by_number = ledger_ids(agency)
    rows = []
    for record in application_ledger_records(agency, year):
        record = dict(record)
        record["id"] = by_number.get(record["id"], record["id"])
        record["applicant_type"] = tx.APPLICANT_COLUMNS[record["applicant_type"]].label
        rows.append([record.get(column.key) for column in COLUMN_LIST])
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def rows_to_csv(rows: Iterable[list[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def rows_to_xlsx(rows: Iterable[list[object]]) -> bytes:
    import openpyxl
    from openpyxl.writer.excel import ExcelWriter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "依申请公开台账"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    fixed = datetime(2000, 1, 1)
    workbook.properties.created = workbook.properties.modified = fixed
    workbook.properties.creator = "gongkai"
    raw = io.BytesIO()
    # ExcelWriter, not workbook.save(): save() stamps ``modified`` with the clock.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """The same archive with every member's timestamp fixed, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def ledger_export(*, agency: Agency, year: int, fmt: str = "csv") -> bytes:
    """``agency``'s ledger for ``year`` as CSV (UTF-8 with BOM) or XLSX bytes."""
    rows = ledger_export_rows(agency, year)
    if fmt == "csv":
        return rows_to_csv(rows)
    if fmt == "xlsx":
        return rows_to_xlsx(rows)
    raise ValueError(f"不支持的台账格式：{fmt}（应为 csv 或 xlsx）")


def ledger_export_file(*, agency: Agency, year: int, path: str | Path) -> Path:
    path = Path(path)
    fmt = "xlsx" if path.suffix.lower() == ".xlsx" else "csv"
    path.write_bytes(ledger_export(agency=agency, year=year, fmt=fmt))
    return path


# ---------------------------------------------------------------- import


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


_CHANNELS = {_fold(text): value for value, label in Application.Channel.choices for text in (value, label)}
_CHANNELS.update({_fold("网络"): Application.Channel.ONLINE, _fold("在线"): Application.Channel.ONLINE,
                  _fold("邮寄"): Application.Channel.LETTER, _fold("现场"): Application.Channel.IN_PERSON,
                  _fold("email"): Application.Channel.EMAIL, _fold("邮件"): Application.Channel.EMAIL})


@dataclass
class _Row:
    index: int
    row_number: int
    ledger_id: str
    values: dict[str, object]


def _cell(ledger, key: str, index: int) -> str:
    column = ledger.raw.column(key)
    return (column[index].as_py() or "") if column is not None else ""


def _row_error(ledger, row: _Row, key: str, message: str, rule: str) -> RowError:
    position = ledger.raw.fields.get(key, len(ledger.raw.headers))
    return RowError(row.row_number, ledger.raw.header(key), _cell(ledger, key, row.index).strip(), message, rule,
                    position, row.index)


def _rows(ledger) -> list[_Row]:
    rows = []
    for index in range(len(ledger)):
        values: dict[str, object] = {}
        for key, column in ledger.dates.items():
            ordinal = column[index].as_py()
            values[key] = date.fromordinal(ordinal) if ordinal is not None else None
        applicant = ledger.applicant[index].as_py()
        outcome = ledger.outcome[index].as_py()
        values["applicant_type"] = APPLICANT_CODES[applicant] if applicant is not None else None
        values["outcome"] = OUTCOME_CODES[outcome] if outcome is not None else ""
        values["extension_days"] = ledger.extension[index].as_py() or 0
        values["channel"] = _cell(ledger, "channel", index).strip()
        rows.append(_Row(index, ledger.row_number(index), ledger.ids[index].as_py(), values))
    return rows


def _state(values: dict[str, object]) -> str:
    State = Application.State
    if values["closed"] is not None:
        return State.ABANDONED if values["outcome"] == "other.no_correction" else State.ARCHIVED
    if values["correction_requested"] and not values["correction_received"]:
        return State.AWAITING_CORRECTION
    if values["consultation_start"] and not values["consultation_end"]:
        return State.CONSULTING
    return State.HANDLING


def _application(agency: Agency, row: _Row, ledger, errors: list[RowError]) -> Application | None:
    values = row.values
    channel = DEFAULT_CHANNEL
    if values["channel"]:
        channel = _CHANNELS.get(_fold(values["channel"]))
        if channel is None:
            labels = "、".join(Application.Channel.labels)
            errors.append(_row_error(ledger, row, "channel", f"无法识别的申请方式，应为 {labels} 之一", "channel.unknown"))
            return None
    if values["outcome"] and values["outcome"] not in tx.OUTCOME_KEYS:
        errors.append(_row_error(ledger, row, "outcome", "系统按 2021 年起的格式记录办理结果，请写明（六）其他处理的具体一项",
                                 "outcome.single_other"))
        return None
    received: date = values["received"]
    extension = values["extension_days"]
    application = Application(
        agency=agency, number="-", query_code_hash=new_query_code()[1], applicant_type=values["applicant_type"],
        applicant_name=IMPORTED_APPLICANT_NAME, channel=channel, received_on=received,
        registered_at=timezone.make_aware(datetime.combine(received, time(12))), state=_state(values),
        correction_requested_on=values["correction_requested"], correction_received_on=values["correction_received"],
        extension_days=extension, extension_approved_on=received if extension else None,
        outcome=values["outcome"], closed_on=values["closed"],
    )
    try:
        application.full_clean(exclude=["number"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            key = {"received_on": "received", "closed_on": "closed", "outcome": "outcome",
                   "applicant_type": "applicant_type", "extension_days": "extension_days"}.get(field, "id")
            errors.append(_row_error(ledger, row, key, "；".join(messages), f"model.{field}"))
        return None
    return application


def ledger_import(*, agency: Agency, path: str | Path, acting_user=None) -> ImportResult:
    """Import a ledger file into ``agency``: all rows or, when any row is bad, none (``LedgerHasErrors``)."""
    ledger = read_ledger(path)
    source = Path(path).name
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).get()  # one import of an agency at a time
        known = set(ledger_ids(agency).values())
        known |= set(Application.objects.filter(agency=agency).values_list("number", flat=True))
        errors = list(ledger.errors)
        if errors:
            raise LedgerHasErrors(errors, path=str(path), purpose="导入")
        new: list[tuple[_Row, Application]] = []
        existing = 0
        for row in _rows(ledger):
            if row.ledger_id in known:
                existing += 1
                continue
            application = _application(agency, row, ledger, errors)
            if application is not None:
                new.append((row, application))
        if errors:
            raise LedgerHasErrors(errors, path=str(path), purpose="导入")
        for row, application in new:
            (application.number,) = application_numbers_allocate(agency=agency, year=application.received_on.year)
            application.save()
            start, end = row.values["consultation_start"], row.values["consultation_end"]
            if start is not None:
                Consultation.objects.create(application=application, party=IMPORTED_PARTY, start_on=start, end_on=end)
            ApplicationEvent.objects.create(
                application=application, action=IMPORT_ACTION, to_state=application.state, acting_user=acting_user,
                message=f"由台账「{source}」第 {row.row_number} 行导入"[:300],
                data={"ledger_id": row.ledger_id, "source": source, "row": row.row_number})
    return ImportResult(len(new), existing)


__all__ = ["ImportResult", "ledger_export", "ledger_export_file", "ledger_export_rows", "ledger_import",
           "ledger_ids", "rows_to_csv", "rows_to_xlsx"]
