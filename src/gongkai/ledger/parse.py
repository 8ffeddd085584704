"""Text columns to typed columns, and every row error found on the way.

The hot path for a million-row ledger: each column is dictionary-encoded, each distinct
text is parsed once in Python (a ledger has a few thousand distinct dates and a handful
of applicant types and outcomes), and the results are spread back over the rows with
one ``take``.  Dates become day ordinals (``date.toordinal()``), so every later rule is
integer arithmetic over whole columns.  Row checks are column expressions too; only the
rows they flag are turned into Python ``RowError`` values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from .columns import COLUMNS, DATE_KEYS
from .errors import RowError
from .read import RawLedger
from .values import SINGLE_OTHER_CODE, BadValue, parse_applicant, parse_date, parse_extension, parse_outcome

FIRST_YEAR_WITHOUT_SINGLE_OTHER = 2021  # the 2021 format splits （六）其他处理 into three rows


@dataclass
class Ledger:
    """A parsed ledger: one typed column per field; ``None`` (null) where empty or invalid."""

    raw: RawLedger
    ids: pa.Array  # string
    dates: dict[str, pa.Array]  # field key -> int32 day ordinals
    applicant: pa.Array  # int8 index into values.APPLICANT_CODES
    outcome: pa.Array  # int8 index into values.OUTCOME_CODES
    extension: pa.Array  # int8 approved extension in working days
    errors: list[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def path(self) -> str:
        return self.raw.path

    def row_number(self, index: int) -> int:
        return self.raw.row_number(index)


class _RowErrors:
    """Collects row errors from boolean masks over the ledger."""

    def __init__(self, raw: RawLedger):
        self.raw = raw
        self.errors: list[RowError] = list(raw.errors)

    def add_mask(self, mask: pa.Array, key: str, message: str | Callable[[int], str],
                 rule: str | Callable[[int], str]) -> None:
        """An error on every row where ``mask`` holds; message and rule may depend on the row."""
        mask = pc.fill_null(mask, False)
        if not pc.any(mask).as_py():
            return
        for index in pc.indices_nonzero(mask).to_pylist():
            self.add(index, key, message(index) if callable(message) else message, rule(index) if callable(rule) else rule)

    def add(self, index: int, key: str, message: str, rule: str) -> None:
        column = self.raw.column(key)
        value = column[index].as_py() if column is not None else None
        position = self.raw.fields.get(key, len(self.raw.headers))
        self.errors.append(
            RowError(self.raw.row_number(index), self.raw.header(key), (value or "").strip() and value, message, rule,
                     position, index)
        )


@dataclass
class _Decoded:
    values: pa.Array  # parsed values, null where blank or bad
    present: pa.Array  # bool: the cell holds something other than spaces


def _decode_column(raw: RawLedger, key: str, parse, type_: pa.DataType, errors: _RowErrors) -> _Decoded:
    """Parse each distinct text of a column once; report each row holding a bad one."""
    column = raw.column(key)
    if column is None:
        return _Decoded(pa.nulls(len(raw), type_), pa.repeat(pa.scalar(False), len(raw)))
    encoded = pc.dictionary_encode(column)
    parsed, blank = [], []
    bad: dict[int, BadValue] = {}
    for position, text in enumerate(encoded.dictionary.to_pylist()):
        if not text.strip():
            parsed.append(None)  # a cell of spaces is an empty cell
            blank.append(position)
            continue
        try:
            parsed.append(parse(text))
        except BadValue as error:
            parsed.append(None)
            bad[position] = error
    values = pc.take(pa.array(parsed, type_), encoded.indices)
    if bad:
        flagged = pc.is_in(encoded.indices, pa.array(list(bad), encoded.indices.type))
        positions = encoded.indices
        errors.add_mask(flagged, key, lambda i: bad[positions[i].as_py()].message,
                        lambda i: bad[positions[i].as_py()].rule)
    present = pc.is_valid(column)
    if blank:
        present = pc.and_(present, pc.invert(pc.is_in(encoded.indices, pa.array(blank, encoded.indices.type))))
    return _Decoded(values, pc.fill_null(present, False))


def _date_text(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def parse_ledger(raw: RawLedger) -> Ledger:
    errors = _RowErrors(raw)
    n = len(raw)
    ids = raw.column("id")
    ids = pc.utf8_trim_whitespace(ids) if ids is not None else pa.nulls(n, pa.string())
    ids = pc.if_else(pc.equal(ids, ""), pa.scalar(None, pa.string()), ids)
    dates = {key: _decode_column(raw, key, _date_ordinal, pa.int32(), errors) for key in DATE_KEYS}
    applicant = _decode_column(raw, "applicant_type", parse_applicant, pa.int8(), errors)
    outcome = _decode_column(raw, "outcome", parse_outcome, pa.int8(), errors)
    extension = _decode_column(raw, "extension_days", parse_extension, pa.int8(), errors)

    errors.add_mask(pc.is_null(ids), "id", "申请编号为空", "required.id")
    errors.add_mask(pc.invert(dates["received"].present), "received", "收到申请日期为空", "required.received")
    errors.add_mask(pc.invert(applicant.present), "applicant_type", "申请人类型为空", "required.applicant_type")
    _check_unique_ids(raw, ids, errors)
    _check_dates_in_order(dates, errors)
    _check_outcome_matches_closing(dates["closed"], outcome, errors)

    errors.errors.sort(key=RowError.sort_key)
    values = {key: decoded.values for key, decoded in dates.items()}
    return Ledger(raw, ids, values, applicant.values, outcome.values, extension.values, errors.errors)


def _date_ordinal(text: str) -> int:
    return parse_date(text).toordinal()


def _check_unique_ids(raw: RawLedger, ids: pa.Array, errors: _RowErrors) -> None:
    # dictionary_encode hashes each id once; count_distinct is several times slower here.
    if len(pc.dictionary_encode(ids).dictionary) == len(ids) - ids.null_count:
        return
    counts = pc.value_counts(ids)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    mask = pc.is_in(ids, value_set=repeated)
    rows: dict[str, list[int]] = {}
    indices = pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()
    for index in indices:
        rows.setdefault(ids[index].as_py(), []).append(raw.row_number(index))
    for index in indices:
        value = ids[index].as_py()
        others = "、".join(str(r) for r in rows[value] if r != raw.row_number(index))
        errors.add(index, "id", f"申请编号重复（另见第 {others} 行）", "id.duplicate")


def _check_dates_in_order(dates: dict[str, _Decoded], errors: _RowErrors) -> None:
    def before(later_key, earlier_key, rule):
        label = COLUMNS[earlier_key].header
        earlier = dates[earlier_key].values
        errors.add_mask(pc.less(dates[later_key].values, earlier), later_key,
                        lambda i: f"早于{label}（{_date_text(earlier[i].as_py())}）", rule)

    before("closed", "received", "order.closed_before_received")
    before("correction_requested", "received", "order.correction_requested_before_received")
    before("correction_received", "received", "order.correction_received_before_received")
    before("correction_received", "correction_requested", "order.correction_received_before_requested")
    before("closed", "correction_received", "order.closed_before_correction_received")
    before("consultation_start", "received", "order.consultation_before_received")
    before("consultation_end", "consultation_start", "order.consultation_end_before_start")
    before("closed", "consultation_end", "order.closed_before_consultation_end")

    has_start, has_end = dates["consultation_start"].present, dates["consultation_end"].present
    errors.add_mask(pc.and_(has_end, pc.invert(has_start)), "consultation_start",
                    "填写了征求意见结束日期，却没有开始日期", "consultation.no_start")
    # An open application may still be in consultation; a closed one must say when it ended.
    errors.add_mask(pc.and_(pc.and_(has_start, pc.invert(has_end)), dates["closed"].present), "consultation_end",
                    "申请已办结，征求意见结束日期却为空", "consultation.no_end")


def _check_outcome_matches_closing(closed: _Decoded, outcome: _Decoded, errors: _RowErrors) -> None:
    closed_on = closed.values
    errors.add_mask(pc.and_(pc.is_valid(closed_on), pc.invert(outcome.present)), "outcome",
                    lambda i: f"已办结（{_date_text(closed_on[i].as_py())}）但没有办理结果", "outcome.missing")
    errors.add_mask(pc.and_(outcome.present, pc.invert(closed.present)), "closed",
                    "填写了办理结果，办结日期却为空", "closed.missing")
    first_day = date(FIRST_YEAR_WITHOUT_SINGLE_OTHER, 1, 1).toordinal()
    single_other = pc.and_(pc.equal(outcome.values, SINGLE_OTHER_CODE), pc.greater_equal(closed_on, first_day))
    errors.add_mask(single_other, "outcome",
                    "2021 年起的年度报告把（六）其他处理分为三项，请写明：逾期不补正、逾期未缴费 或 其他",
                    "outcome.single_other")
