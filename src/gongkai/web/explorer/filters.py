"""The explorer's query string → a Selection and a drill-down; a bad value is a Chinese BadFilter (400)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.corpus import explore
from gongkai.corpus.flags import LABELS as FLAG_LABELS
from gongkai.report import taxonomy as tx

REGION = re.compile(r"\d{1,12}")
REPORT_ID = re.compile(r"[0-9a-f]{64}")
# The cells a drill-down may name: tables 三 and 四, rows and columns of the taxonomy (and the single （六）).
CELL_ROWS = {"applications": set(tx.APPLICATION_ROWS), "appeals": set(tx.APPEAL_BLOCKS)}
CELL_COLUMNS = {"applications": set(tx.APPLICANT_COLUMNS), "appeals": set(tx.APPEAL_COLUMNS)}


class BadFilter(ValueError):
    """The Chinese message names the parameter and the value."""


@dataclass(frozen=True)
class DrillDown:
    cell: tuple[str, str, str] | None = None
    rate: str = ""
    bin: int | None = None
    page: int = 1


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        raise BadFilter(f"年度「{text}」不正确：应为四位数字的年份，如 2021")
    return int(text)


def selection_from(query) -> explore.Selection:
    year, region = query.get("year", "").strip(), query.get("region", "").strip()
    level, flag = query.get("level", "").strip(), query.get("flag", "").strip()
    if region and not REGION.fullmatch(region):
        raise BadFilter(f"地区「{region}」不正确：应为行政区划代码或其开头的数字（1 至 12 位），如 32 或 320113")
    if level and level not in explore.LEVELS:
        raise BadFilter(f"层级「{level}」不正确：可选 {'、'.join(explore.LEVELS.values())}")
    if flag and flag not in FLAG_LABELS:
        raise BadFilter(f"质量标记「{flag}」不正确：可选 {'、'.join(FLAG_LABELS.values())}")
    return explore.Selection(year=_year(year) if year else None, region=region, level=level, flag=flag)


def drill_down_from(query) -> DrillDown:
    cell, rate, bin_text, page = (query.get(k, "").strip() for k in ("cell", "rate", "bin", "page"))
    found = None
    if cell:
        table, _, rest = cell.partition(".")
        row, _, column = rest.rpartition(".")
        if row not in CELL_ROWS.get(table, ()) or column not in CELL_COLUMNS.get(table, ()):
            raise BadFilter(f"单元格「{cell}」不正确：应为表三或表四的一个单元格")
        found = (table, row, column)
    if rate and rate not in explore.RATES:
        raise BadFilter(f"比率「{rate}」不正确：可选 {'、'.join(label for label, _ in explore.RATES.values())}")
    if bin_text and (not rate or not bin_text.isdigit() or int(bin_text) >= explore.BINS):
        raise BadFilter(f"分组「{bin_text}」不正确：应为 0 至 {explore.BINS - 1}，并同时指定比率")
    if page and (not page.isdigit() or int(page) < 1):
        raise BadFilter(f"页码「{page}」不正确：应为正整数")
    return DrillDown(found, rate, int(bin_text) if bin_text else None, int(page) if page else 1)


def query_string(selection: explore.Selection, **extra) -> str:
    """The filters (and a drill-down) as a query string, for links."""
    from urllib.parse import urlencode

    values = {"year": selection.year, "region": selection.region, "level": selection.level,
              "flag": selection.flag, **extra}
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})
