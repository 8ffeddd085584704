"""AnnualReport: the report as data, and its JSON form (../shared/spec/report-json.md).

A number the source does not state is ``None``.  A row the format does not have (the
three 其他处理 sub-rows of a 2019-format table, the 2019 rows of table 二 in a
2021-format report) is ``None`` as a whole, so "unstated" and "not in this format"
stay distinguishable.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from . import taxonomy as tx
from .errors import InvalidReportJSON

Number = int | float
RowValues = dict[str, Number | None]
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Issue:
    """One finding about a report: a stable ``rule`` id, where, and a Chinese message."""

    rule: str
    severity: str
    where: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "where": self.where, "message": self.message}

    @property
    def place(self) -> str:
        """``where`` as printed in the report (表三「总计」行「商业企业」列), for users to read."""
        return tx.where_label(self.where)

    @property
    def text(self) -> str:
        """The message with its place in front, unless the message already opens by naming a cell or table."""
        if self.message.startswith(("「", "表")):
            return self.message
        return f"{self.place}：{self.message}"


def _empty_row(keys) -> RowValues:
    return {key: None for key in keys}


@dataclass
class AnnualReport:
    agency: str | None = None
    year: int | None = None
    format: str = "2021"
    proactive: dict[str, RowValues | None] = field(default_factory=dict)
    proactive_2019: dict[str, RowValues] | None = None
    applications: dict[str, RowValues | None] = field(default_factory=dict)
    appeals: dict[str, RowValues] = field(default_factory=dict)
    sections: dict[str, str | None] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # Where the report came from (file name, reader); informational only.
    source: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------ construction

    @classmethod
    def empty(cls, fmt: str = "2021", *, single_other: bool | None = None, **kwargs) -> AnnualReport:
        """A report of the given format with every cell unstated (``None``)."""
        if fmt not in tx.FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        report = cls(format=fmt, **kwargs)
        report.applications = {key: None for key in tx.APPLICATION_ROW_KEYS_ALL}
        for key in tx.application_row_keys(fmt, single_other=single_other):
            report.applications[key] = _empty_row(tx.APPLICANT_COLUMN_KEYS)
        report.appeals = {key: _empty_row(tx.APPEAL_COLUMN_KEYS) for key in tx.APPEAL_BLOCK_KEYS}
        if fmt == "2021":
            report.proactive = {row.key: _empty_row(c.key for c in row.columns) for row in tx.PROACTIVE_2021_LIST}
            report.proactive_2019 = None
        else:
            report.proactive = {row.key: None for row in tx.PROACTIVE_2021_LIST}
            for key in tx.PROACTIVE_DECISIONS_SHARED:
                report.proactive[key] = {"decisions": None}
            report.proactive_2019 = {
                row.key: _empty_row(c.key for c in row.columns) for row in tx.PROACTIVE_2019_LIST
            }
        report.sections = {key: None for key in tx.PROSE_SECTIONS}
        return report

    # ------------------------------------------------------------ questions

    @property
    def single_other(self) -> bool:
        """True when table 三 prints one （六）其他处理 row instead of three."""
        return self.applications.get("other") is not None

    def application_row_keys(self) -> tuple[str, ...]:
        return tx.application_row_keys(self.format, single_other=self.single_other)

    def outcome_keys(self) -> tuple[str, ...]:
        return tx.outcome_keys(self.format, single_other=self.single_other)

    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    def add_issue(self, rule: str, severity: str, where: str, message: str) -> None:
        issue = Issue(rule, severity, where, message)
        if issue not in self.issues:
            self.issues.append(issue)

    def sync_shared_decisions(self) -> None:
        """In the 2019 format, proactive.*.decisions repeats table 二's 处理决定数量."""
        if self.format != "2019" or not self.proactive_2019:
            return
        for key in tx.PROACTIVE_DECISIONS_SHARED:
            self.proactive[key] = {"decisions": self.proactive_2019[key].get("decisions")}

    # ------------------------------------------------------------ JSON

    def to_json(self) -> dict[str, Any]:
        data = {
            "schema": tx.SCHEMA,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "proactive": _copy(self.proactive),
            "proactive_2019": _copy(self.proactive_2019),
            "applications": _copy(self.applications),
            "appeals": _copy(self.appeals),
            "sections": dict(self.sections),
            "issues": [issue.to_json() for issue in self.issues],
        }
        if self.source:
            data["source"] = dict(self.source)
        return data

    def dumps(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, data: Any) -> AnnualReport:
        """Read report JSON, refusing anything that does not follow the spec."""
        if not isinstance(data, dict):
            raise InvalidReportJSON("报告 JSON 顶层必须是对象")
        schema = data.get("schema")
        if schema != tx.SCHEMA:
            raise InvalidReportJSON(f"不支持的 schema「{schema}」，应为「{tx.SCHEMA}」")
        fmt = data.get("format")
        if fmt not in tx.FORMATS:
            raise InvalidReportJSON(f"format 应为 2021 或 2019，而不是「{fmt}」")
        applications = _require_object(data, "applications")
        report = cls.empty(fmt, single_other=applications.get("other") is not None)
        report.agency = _optional_str(data, "agency")
        year = data.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise InvalidReportJSON(f"year 应为整数，而不是「{year}」")
        report.year = year
        _fill_rows(report.applications, applications, "applications", tx.APPLICANT_COLUMN_KEYS, integer=True)
        _fill_rows(report.appeals, _require_object(data, "appeals"), "appeals", tx.APPEAL_COLUMN_KEYS, integer=True)
        proactive = data.get("proactive") or {}
        _fill_proactive(report.proactive, proactive, "proactive")
        if fmt == "2019":
            _fill_proactive(report.proactive_2019, data.get("proactive_2019") or {}, "proactive_2019")
            report.sync_shared_decisions()
        sections = data.get("sections") or {}
        if not isinstance(sections, dict):
            raise InvalidReportJSON("sections 应为对象")
        for key, text in sections.items():
            if text is not None and not isinstance(text, str):
                raise InvalidReportJSON(f"sections.{key} 应为文本")
            report.sections[key] = text
        for position, item in enumerate(data.get("issues") or [], start=1):
            try:
                report.issues.append(Issue(item["rule"], item["severity"], item["where"], item["message"]))
            except (KeyError, TypeError):
                raise InvalidReportJSON(f"issues 第 {position} 项缺少 rule/severity/where/message") from None
        if isinstance(data.get("source"), dict):
            report.source = dict(data["source"])
        return report

    @classmethod
    def loads(cls, text: str) -> AnnualReport:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidReportJSON(f"不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）") from None
        return cls.from_json(data)


def _copy(rows):
    if rows is None:
        return None
    return {key: (dict(values) if values is not None else None) for key, values in rows.items()}


def _require_object(data: dict, key: str) -> dict:
    value = data.get(key)
    if not isinstance(value, dict):
        raise InvalidReportJSON(f"缺少对象「{key}」")
    return value


def _optional_str(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidReportJSON(f"{key} 应为文本")
    return value


def _number(value: Any, where: str, *, integer: bool, signed: bool = False) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidReportJSON(f"{where} 应为数字或 null，而不是「{value}」")
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidReportJSON(f"{where} 不是有限的数字")
    if integer and isinstance(value, float):
        if not value.is_integer():
            raise InvalidReportJSON(f"{where} 应为整数，而不是「{value}」")
        value = int(value)
    if value < 0 and not signed:
        raise InvalidReportJSON(f"{where} 不能为负数（{value}）")
    return value


def _fill_rows(target: dict, source: dict, table: str, columns, *, integer: bool) -> None:
    for key, values in source.items():
        if key not in target:
            continue  # unknown rows are tolerated: adding keys is allowed by the spec
        if values is None:
            continue
        if not isinstance(values, dict):
            raise InvalidReportJSON(f"{table}.{key} 应为对象或 null")
        if target[key] is None:
            target[key] = _empty_row(columns)
        for column in columns:
            target[key][column] = _number(values.get(column), f"{table}.{key}.{column}", integer=integer)


def _fill_proactive(target: dict, source: dict, table: str) -> None:
    if not isinstance(source, dict):
        raise InvalidReportJSON(f"{table} 应为对象")
    rows = tx.PROACTIVE_2021 if table == "proactive" else tx.PROACTIVE_2019
    for key, values in source.items():
        spec = rows.get(key)
        if spec is None or values is None or target.get(key) is None:
            continue
        if not isinstance(values, dict):
            raise InvalidReportJSON(f"{table}.{key} 应为对象或 null")
        for column in target[key]:
            target[key][column] = _number(
                values.get(column), f"{table}.{key}.{column}",
                integer=column not in spec.decimal, signed=column in spec.signed,
            )
