"""Who wrote the report, which year it covers, and where its sections are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import taxonomy as tx
from .text import cue_pattern, squeeze

_REPORT_WORDS = re.compile(r"(?:政府信息公开|政务公开|信息公开)[^\n]{0,6}?(?:年度报告|年报|工作报告)")
_YEAR = r"((?:19|20)\d{2})"
_TITLE_YEAR = r"(?P<year>(?:19|20)\d{2})"
_TITLE_FORMS = (
    # 栖霞区人民政府办公室2021年度政府信息公开工作年度报告
    re.compile(r"^(?P<agency>.*?)" + _TITLE_YEAR + r"年度?(?:的)?(?:政府信息公开|政务公开|信息公开)"),
    # 2024年上海市科委政府信息公开工作年度报告
    re.compile(r"^" + _TITLE_YEAR + r"年度?(?P<agency>.+?)(?:政府信息公开|政务公开|信息公开)"),
    # 区政务服务办政府信息公开工作年度报告(2021年度)
    re.compile(r"^(?P<agency>.*?)(?:政府信息公开|政务公开|信息公开)[^(]{0,8}报告\(" + _TITLE_YEAR + r"年?度?\)"),
    # 平潭综合实验区政府信息公开工作年度报告（2021）without 年
    re.compile(r"^(?P<agency>.*?)(?:政府信息公开|政务公开)工作年度报告" + _TITLE_YEAR),
)
_PERIOD = re.compile(r"(?:统计|时限|期限|周期|截至|截止)[^。\n]{0,12}?" + _YEAR + r"\s*年\s*1?2?\s*月?")
_FIRST_YEAR = re.compile(_YEAR + r"\s*年")
_HOST = re.compile(r"(?:主办单位|主办|网站主办|承办单位)\s*[:：]\s*([\u4e00-\u9fff（）()]{4,40})")
_META_PREFIX = re.compile(r"^(?:标题|题目|title)\s*[:：]\s*", re.IGNORECASE)


@dataclass
class Title:
    agency: str | None
    year: int | None
    line_index: int | None


def find_title(lines: list[str]) -> Title:
    """The report's title line, its agency and the year it covers.

    Looks at the first lines only: crawler dumps may carry a metadata header whose
    ``标题:`` line is the title, and Word exports may put the agency on the line above
    a title that starts with the year.
    """
    candidates = [(i, line) for i, line in enumerate(lines[:40]) if line.strip()]
    for position, (index, line) in enumerate(candidates[:25]):
        compact = _META_PREFIX.sub("", squeeze(_strip_markup(line)))
        if position and len(compact) <= 8 and compact.endswith("报告"):
            # A title wrapped before its last words: …政府信息公开工作 / 年度报告
            compact = squeeze(_strip_markup(candidates[position - 1][1])) + compact
        if not _REPORT_WORDS.search(compact) and not compact.endswith("年度报告"):
            continue
        if len(compact) > 80:
            compact = _title_inside(compact)
            if compact is None:
                continue
        agency, year = _parse_title(compact)
        if year is None:
            continue  # a breadcrumb such as 首页>政务公开>政府信息公开年报, not the title
        if not agency and position > 0:
            previous = squeeze(_strip_markup(candidates[position - 1][1]))
            if 2 <= len(previous) <= 30 and not re.search(r"[。，；:：]", previous):
                agency = previous
        return Title(_clean_agency(agency), year, index)
    # A title broken over two lines: join each line with the next and try again.
    for position in range(min(len(candidates), 25) - 1):
        joined = squeeze(_strip_markup(candidates[position][1] + candidates[position + 1][1]))
        if _REPORT_WORDS.search(joined) and len(joined) <= 80:
            agency, year = _parse_title(joined)
            if year is not None:
                return Title(_clean_agency(agency), year, candidates[position][0])
    return Title(None, None, None)


def _title_inside(text: str) -> str | None:
    """In a long line (a crawler dump), the title is the stretch ending in 年度报告."""
    match = re.search(r"[^\s:：。，]{0,40}?" + _YEAR + r"年度?[^\s:：。，]{0,20}?年度报告", text)
    return match.group(0) if match else None


def _strip_markup(line: str) -> str:
    line = re.sub(r"^\s*(?:#+|\|)\s*", "", line)
    return line.replace("|", " ").replace("*", "")


_CHINESE_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_CHINESE_YEAR = re.compile(r"二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2}(?=年)")


def _parse_title(compact: str) -> tuple[str | None, int | None]:
    # 二〇二一年度… is 2021年度…
    compact = _CHINESE_YEAR.sub(lambda m: m.group(0).translate(_CHINESE_DIGITS), compact)
    for form in _TITLE_FORMS:
        match = form.search(compact)
        if match:
            return match.group("agency"), int(match.group("year"))
    return None, None


def _clean_agency(agency: str | None) -> str | None:
    if not agency:
        return None
    agency = re.sub(r"^(?:关于|印发|公布)", "", agency)
    agency = re.sub(r"(?:关于|的)$", "", agency)
    # Breadcrumbs before the title (首页>政务公开>…年报>) are not part of the name.
    agency = re.split(r"[>》:：]", agency)[-1]
    for crumb in ("年报", "年度报告", "信息公开", "当前位置"):
        if crumb in agency:
            agency = agency.rsplit(crumb, 1)[-1]
    agency = agency.strip(" -—_|，,、")
    return agency or None


def covered_year_from_text(text: str) -> int | None:
    """Fallback for the year: the statistics period, else the first year mentioned."""
    match = _PERIOD.search(text[:5000])
    if match:
        return int(match.group(1))
    match = _FIRST_YEAR.search(text[:3000])
    return int(match.group(1)) if match else None


_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|信息来源|来源)\s*[:：]\s*([\u4e00-\u9fff（）()]{3,40})")


def publisher_agency(text: str) -> str | None:
    """The publisher in a page's metadata (``发布机构: …``, ``来源：…``), near the top."""
    match = _PUBLISHER.search(text[:2000])
    return match.group(1) if match else None


def host_agency(text: str) -> str | None:
    """The full name in a site footer such as ``主办单位:滨海新区人民政府政务服务办公室``."""
    matches = _HOST.findall(text[-3000:]) or _HOST.findall(text[:3000])
    return matches[-1] if matches else None


# ---------------------------------------------------------------- sections



@dataclass
class SectionSpan:
    key: str
    heading_start: int
    body_start: int


@lru_cache(maxsize=8)
def _heading_lead(number: str) -> re.Pattern[str]:
    """What may stand before a section's cue for it to be a heading: a line start (the
    numeral optional) or, anywhere, the numeral itself (crawler dumps glue headings on)."""
    numeral = f"{number}[、.．]|第{number}部分"
    return re.compile(r"(?:[\n|。；;!！][ \t#]*(?:" + numeral + r")?|(?:" + numeral + r"))[ \t]*(?:政府信息公开)?$")


def find_sections(text: str) -> list[SectionSpan]:
    """The six section headings, in order, as they appear in ``text`` (width-folded).

    The cue is searched first (a fast scan) and only then the few characters before it
    are checked for a heading's lead, which keeps long space-padded PDF text fast.
    """
    spans: list[SectionSpan] = []
    position = 0
    for section in tx.SECTION_LIST:
        lead = _heading_lead(section.number)
        best = None
        for cue in section.cues:
            for match in cue_pattern(cue).finditer(text, position):
                if best is not None and match.start() >= best[0]:
                    break
                window_start = max(0, match.start() - 40)
                window = ("\n" if window_start == 0 else "") + text[window_start:match.start()]
                heading = lead.search(window)
                if heading:
                    best = (match.start() - (len(window) - heading.start()) + (1 if heading.group(0)[0] in "\n|。；;!！" else 0),
                            match.end())
                    break
        if best is None:
            continue
        start, end = best
        line_end = text.find("\n", end)
        body_start = end if line_end < 0 or line_end - end > 30 else line_end + 1
        spans.append(SectionSpan(section.key, max(start, 0), body_start))
        position = end
    return spans


def looks_like_pre_2019(text: str) -> bool:
    return all(marker in text for marker in tx.PRE_2019_MARKERS) and "本年新收政府信息公开申请" not in text
