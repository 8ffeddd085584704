"""The State Council's holiday notice (国务院办公厅关于X年部分节假日安排的通知), read as published.

Each numbered item of the notice names one holiday (or two joined: 国庆节、中秋节) and says, in
a few set sentences, which days are off and which weekend days are worked::

    一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。1月4日（周一）上班。
    三、清明节：4月5日放假，与周末连休。
    二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励……

``parse_notice`` understands exactly these sentences.  Anything else inside an item — a sentence
it does not know, a weekday that does not match its date, a 共N天 that does not match the span,
a holiday of the 放假办法 missing from the notice — is refused with the reason (``NoticeError``),
never skipped: a calendar read half-way gives wrong deadlines.  Text outside the items (the
title, the greeting, the closing paragraph) is not needed beyond the year.

The result is the year's exception days in the calendar file's format (``Notice.file_text``).
"与周末连休" joins the adjacent weekend to the holiday, as the published schedules list it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import weekday_name
from .errors import WorkdaysError
from .schedule import HOLIDAY, MAKEUP_WORKDAY, ScheduleEntry

HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
ITEM_NUMBERS = "一二三四五六七八九十"

_YEAR = re.compile(r"关于\s*(\d{4})\s*年部分节假日安排|现将\s*(\d{4})\s*年")
_ITEM = re.compile(rf"^\s*([{ITEM_NUMBERS}]{{1,2}})\s*、\s*([^：:]{{2,20}}?)\s*[：:]\s*(.*)$")
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日"
_NOTE = r"(?:[（(]([^）)]*)[）)])?"
_SPAN = re.compile(rf"^{_DATE}{_NOTE}(?:至{_DATE}{_NOTE})?(放假调休|放假(\d+)天|放假|与周末连休)?$")
_MAKEUP_DAY = re.compile(rf"{_DATE}{_NOTE}")
_COUNT = re.compile(r"^共(\d+)天$")
_WEEKDAY = re.compile(r"^(?:周|星期)([一二三四五六日天])$")
_WEEKDAY_INDEX = {name: index for index, name in enumerate("一二三四五六日")} | {"天": 6}
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# Text copied from a web page may run the items together on one line: each starts a line of its own.
_ITEM_START = re.compile(rf"(?<![{ITEM_NUMBERS}])(?=[{ITEM_NUMBERS}]{{1,2}}、(?:元旦|春节|清明|劳动|端午|中秋|国庆))")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
# The closing paragraph ("节假日期间，各地区、各部门要妥善安排好值班……") ends the last item's line in such text.
_CLOSING = "节假日期间"


class NoticeError(WorkdaysError):
    """A notice (or a part of it) that cannot be read fully: nothing is written."""


@dataclass(frozen=True)
class NoticeItem:
    number: str  # 一, 二, …
    name: str  # as written: 国庆节、中秋节
    holidays: tuple[date, ...]
    makeup_days: tuple[date, ...]
    remarks: tuple[str, ...]  # advisory sentences (鼓励……) that change no working day

    def describe(self) -> str:
        off = _span_text(self.holidays)
        worked = "、".join(f"{d.isoformat()}（{weekday_name(d)}）" for d in self.makeup_days) or "无"
        text = f"{self.number}、{self.name}：放假 {off}（{len(self.holidays)} 天）；调休上班：{worked}"
        return text + "".join(f"；提示（不改变工作日）：{remark}" for remark in self.remarks)


@dataclass(frozen=True)
class Notice:
    year: int
    items: tuple[NoticeItem, ...]

    @property
    def all_entries(self) -> list[ScheduleEntry]:
        entries = [ScheduleEntry(day, HOLIDAY, item.name) for item in self.items for day in item.holidays]
        entries += [ScheduleEntry(day, MAKEUP_WORKDAY, item.name) for item in self.items for day in item.makeup_days]
        return sorted(entries, key=lambda entry: entry.day)

    @property
    def entries(self) -> list[ScheduleEntry]:
        """The exception days of the notice's own year (what the calendar file holds for it)."""
        return [entry for entry in self.all_entries if entry.day.year == self.year]

    @property
    def outside_year(self) -> list[ScheduleEntry]:
        """Days of the notice in another year (元旦 may begin on 30 or 31 December)."""
        return [entry for entry in self.all_entries if entry.day.year != self.year]

    def entries_with(self, covered_years) -> list[ScheduleEntry]:
        """The year's days, and its days in other years that the calendar already holds.

        The notice is the only source of those days (2018-12-29 上班 comes from the 2019 notice),
        so they belong in the file — but only for a year already covered: a lone December day
        would otherwise make the calendar think it has that whole year's schedule.
        """
        return [entry for entry in self.all_entries if entry.day.year == self.year or entry.day.year in covered_years]

    def summary(self, covered_years=()) -> str:
        """What was understood, in Chinese, one line per item."""
        lines = [f"{self.year} 年部分节假日安排："]
        lines += [f"  {item.describe()}" for item in self.items]
        holidays = sum(1 for entry in self.entries if entry.kind == HOLIDAY)
        lines.append(f"{self.year} 年共 {len(self.entries)} 个例外日期：放假 {holidays} 天（含其间的周末），"
                     f"调休上班 {len(self.entries) - holidays} 天。")
        written = [e for e in self.outside_year if e.day.year in covered_years]
        left_out = [e for e in self.outside_year if e.day.year not in covered_years]
        if written:
            lines.append(f"另写入已有年份的日期：{_days_text(written)}。")
        if left_out:
            lines.append(f"未写入（所在年份还没有安排，请先补充该年）：{_days_text(left_out)}。")
        return "\n".join(lines)

    def file_text(self, covered_years=()) -> str:
        from .seed import render  # the shipped file's own writer

        return render([(entry.day, entry.kind, entry.name) for entry in self.entries_with(covered_years)])


def _days_text(entries) -> str:
    return "、".join(f"{e.day.isoformat()}{'放假' if e.kind == HOLIDAY else '上班'}" for e in entries)


# ---------------------------------------------------------------- reading


def notice_text(data: bytes | str) -> str:
    """The notice's text from a file's bytes or pasted text: plain text, or HTML as published on the web."""
    from gongkai.report.read.decode import decode_text
    from gongkai.report.read.sources import html_to_text

    text = decode_text(data) if isinstance(data, bytes) else data
    if re.search(r"<\s*(html|body|p|div|br|span|table|h\d)\b", text, re.IGNORECASE):
        text = html_to_text(text)
    return text


def parse_notice(text: str) -> Notice:
    """The notice of ``text`` (see the module docstring), or ``NoticeError`` saying what could not be read."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULL_WIDTH)
    text = _ITEM_START.sub("\n", text)
    match = _YEAR.search(_SPACES.sub("", text))
    if not match:
        raise NoticeError("找不到通知所属的年份（应有“国务院办公厅关于X年部分节假日安排的通知”或“现将X年……”）")
    year = int(match[1] or match[2])
    items = [_item(found, year) for found in _item_lines(text)]
    if not items:
        raise NoticeError("通知中没有找到“一、元旦：……”这样的放假安排条目")
    named = [name for item in items for name in item.name.split("、")]
    missing = [name for name in HOLIDAY_NAMES if name not in named]
    if missing:
        raise NoticeError(f"通知中没有{'、'.join(missing)}的安排，读到的条目为：{'、'.join(i.name for i in items)}"
                          "（全文应包括《全国年节及纪念日放假办法》规定的全部节日）")
    for expected, item in zip(ITEM_NUMBERS, items, strict=False):
        if item.number != expected:
            raise NoticeError(f"条目编号不连续：应为“{expected}、”，却是“{item.number}、{item.name}”")
    _refuse_overlaps(items)
    return Notice(year, tuple(items))


def _item_lines(text: str) -> list[tuple[str, str, str]]:
    found = []
    for line in text.split("\n"):
        line = _SPACES.sub("", line)
        match = _ITEM.match(line)
        if match and any(name in match[2] for name in HOLIDAY_NAMES):
            found.append((match[1], match[2], match[3].split(_CLOSING)[0]))
    return found


def _item(found: tuple[str, str, str], year: int) -> NoticeItem:
    number, name, body = found
    where = f"第{number}项（{name}）"
    for part in name.split("、"):
        if part not in HOLIDAY_NAMES:
            raise NoticeError(f"{where}：“{part}”不是《全国年节及纪念日放假办法》规定的节日")
    holidays: list[date] | None = None
    makeup: list[date] = []
    remarks: list[str] = []
    sentences = [s for s in re.split(r"[。；;]", body.rstrip("。")) if s]
    if not sentences:
        raise NoticeError(f"{where}：没有放假日期")
    for sentence in sentences:
        if sentence.startswith("鼓励"):
            remarks.append(sentence + "。")
        elif sentence.endswith("上班"):
            makeup += _makeup_days(sentence, year, where)
        elif holidays is None:
            holidays = _holiday_span(sentence, year, where)
        else:
            raise NoticeError(f"{where}：读不懂“{sentence}”（已读到放假日期，这一句不是调休上班日）")
    if holidays is None:
        raise NoticeError(f"{where}：没有读到放假日期")
    for day in makeup:
        if day in holidays:
            raise NoticeError(f"{where}：{day.isoformat()} 既写作放假又写作上班")
    return NoticeItem(number, name, tuple(holidays), tuple(sorted(makeup)), tuple(remarks))


def _holiday_span(sentence: str, year: int, where: str) -> list[date]:
    clauses = sentence.split("，")
    match = _SPAN.match(clauses[0])
    if not match:
        raise NoticeError(f"{where}：读不懂“{sentence}”（应为“1月1日（周五）至3日（周日）放假调休，共3天”这样的写法）")
    start = _date(match.group(1, 2, 3), year, None, where, sentence)
    _check_note(match[4], start, where)
    end = start
    if match[7]:
        end = _date(match.group(5, 6, 7), year, start, where, sentence)
        _check_note(match[8], end, where)
    if end < start:
        raise NoticeError(f"{where}：结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}")
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    stated = int(match[10]) if match[10] else None
    joins_weekend = match[9] == "与周末连休"
    for clause in clauses[1:]:
        count = _COUNT.match(clause)
        if count:
            stated = int(count[1])
        elif clause == "与周末连休":
            joins_weekend = True
        elif clause != "不调休":
            raise NoticeError(f"{where}：读不懂“{clause}”（在“{sentence}”中）")
    if stated is not None and stated != len(days):
        raise NoticeError(f"{where}：写明共 {stated} 天，但 {_span_text(days)} 是 {len(days)} 天")
    if joins_weekend:
        while (days[0] - timedelta(days=1)).weekday() >= 5:
            days.insert(0, days[0] - timedelta(days=1))
        while (days[-1] + timedelta(days=1)).weekday() >= 5:
            days.append(days[-1] + timedelta(days=1))
    return days


def _makeup_days(sentence: str, year: int, where: str) -> list[date]:
    body = sentence.removesuffix("上班")
    parts = [part for part in body.split("、") if part] if "（" not in body else _split_dates(body)
    days = []
    for part in parts:
        match = _MAKEUP_DAY.fullmatch(part)
        if not match or not match[2]:
            raise NoticeError(f"{where}：读不懂调休上班日“{part}”（应为“2月14日（周六）”这样的写法）")
        day = _date(match.group(1, 2, 3), year, None, where, sentence)
        _check_note(match[4], day, where)
        if day.weekday() < 5:
            raise NoticeError(f"{where}：调休上班日 {day.isoformat()} 是{weekday_name(day)}，本来就上班")
        days.append(day)
    return days


def _split_dates(body: str) -> list[str]:
    """"2月14日（周六）、2月28日（周六）" → the two dates: split on 、 outside the brackets."""
    parts, depth, current = [], 0, ""
    for char in body:
        depth += char in "（("
        depth -= char in "）)"
        if char == "、" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _date(groups, year: int, start: date | None, where: str, sentence: str) -> date:
    """A date of the notice: a missing year is the notice's (or the start's), a missing month the start's."""
    y, m, d = groups
    if m is None and start is None:
        raise NoticeError(f"{where}：“{sentence}”中的日期没有月份")
    month = int(m) if m else start.month
    if y:
        the_year = int(y)
    elif start is not None:
        the_year = start.year + (1 if month < start.month else 0)
    else:
        the_year = year
    try:
        return date(the_year, month, int(d))
    except ValueError:
        raise NoticeError(f"{where}：“{sentence}”中的 {the_year}年{month}月{d}日 不是存在的日期") from None


def _check_note(note: str | None, day: date, where: str) -> None:
    """The bracket after a date: its weekday must be the date's; 农历 names are read as notes."""
    if not note:
        return
    for part in note.split("、"):
        weekday = _WEEKDAY.match(part)
        if weekday:
            if _WEEKDAY_INDEX[weekday[1]] != day.weekday():
                raise NoticeError(f"{where}：{day.month}月{day.day}日写作“{part}”，但 {day.isoformat()} 是{weekday_name(day)}")
        elif not part.startswith("农历"):
            raise NoticeError(f"{where}：读不懂日期后括号中的“{part}”")


def _refuse_overlaps(items: list[NoticeItem]) -> None:
    seen: dict[date, str] = {}
    for item in items:
        for day in (*item.holidays, *item.makeup_days):
            if day in seen:
                raise NoticeError(f"{day.isoformat()} 同时出现在“{seen[day]}”和“{item.name}”两项中")
            seen[day] = item.name


def _span_text(days) -> str:
    days = list(days)
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} 至 {days[-1].isoformat()}"
