"""The holiday-schedule file: one line per exception to the Monday–Friday week.

The package ships ``data/cn-workdays.csv`` for 2019–2026; users add later years from a
file of their own in the same format (see ``FILE_FORMAT_HELP``), so a new State Council
notice needs no release.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from .errors import ScheduleFileError

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"
# Chinese spellings accepted in users' files, as the notices write them (放假 / 上班).
KIND_ALIASES = {HOLIDAY: HOLIDAY, "放假": HOLIDAY, "休": HOLIDAY, MAKEUP_WORKDAY: MAKEUP_WORKDAY, "上班": MAKEUP_WORKDAY,
                "班": MAKEUP_WORKDAY, "调休上班": MAKEUP_WORKDAY}
HEADER_WORDS = ("date", "日期")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

FILE_FORMAT_HELP = """
gongkai 工作日安排文件（依国务院办公厅每年公布的部分节假日安排）。
每行一个例外日期，三项用英文逗号分隔：日期,类别,名称
  日期：YYYY-MM-DD
  类别：holiday（放假，也可写「放假」）或 makeup_workday（调休上班，也可写「上班」）
  名称：节日名称，如 国庆节；可以为空
未列出的日期：周一至周五是工作日，周六、周日休息。
文件里出现过的年份即视为已有该年安排；年份须与已有年份相连（如已有 2019—2026 年，可补 2027 年）。
以 # 开头的行是注释；第一行可以是表头 date,kind,name。文件用 UTF-8 编码。
补充次年安排：按此格式写一个文件，用 --calendar 文件 或环境变量 GONGKAI_WORKDAYS_FILE 指定
（多个文件用系统路径分隔符分隔）；同一日期以后读入的文件为准。
"""


@dataclass(frozen=True)
class ScheduleEntry:
    """One day that differs from the plain week: a weekday off, or a weekend day worked (调休)."""

    day: date
    kind: str  # HOLIDAY or MAKEUP_WORKDAY
    name: str


def shipped_schedule_text() -> str:
    return resources.files("gongkai.workdays").joinpath("data/cn-workdays.csv").read_text(encoding="utf-8")


def read_schedule_file(path: str | Path) -> list[ScheduleEntry]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScheduleFileError(str(path), None, "文件不存在") from None
    except UnicodeDecodeError:
        raise ScheduleFileError(str(path), None, "不是 UTF-8 编码的文本文件") from None
    except OSError as error:
        raise ScheduleFileError(str(path), None, f"无法读取（{error.strerror}）") from None
    return parse_schedule(text, str(path))


def parse_schedule(text: str, source: str) -> list[ScheduleEntry]:
    """Read schedule lines; any line that is not a valid entry is an error, never skipped."""
    entries: list[ScheduleEntry] = []
    seen: dict[date, int] = {}
    for number, fields in enumerate(csv.reader(text.splitlines()), start=1):
        if not fields or not "".join(fields).strip() or fields[0].lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in fields]
        if not entries and not seen and fields[0].lower() in HEADER_WORDS:
            continue
        if len(fields) < 2 or len(fields) > 3:
            raise ScheduleFileError(source, number, "每行应为「日期,类别,名称」三项")
        day = _parse_day(fields[0], source, number)
        kind = KIND_ALIASES.get(fields[1].lower())
        if kind is None:
            raise ScheduleFileError(source, number, f"类别「{fields[1]}」应为 holiday（放假）或 makeup_workday（上班）")
        if kind == MAKEUP_WORKDAY and day.weekday() < 5:
            raise ScheduleFileError(source, number, f"{day.isoformat()} 是周一至周五，本来就上班，不能标为调休上班")
        if day in seen:
            raise ScheduleFileError(source, number, f"{day.isoformat()} 与第 {seen[day]} 行重复")
        seen[day] = number
        entries.append(ScheduleEntry(day, kind, fields[2] if len(fields) == 3 else ""))
    return entries


def _parse_day(text: str, source: str, number: int) -> date:
    try:
        if not ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise ScheduleFileError(source, number, f"日期「{text}」应为 YYYY-MM-DD 格式的有效日期") from None
