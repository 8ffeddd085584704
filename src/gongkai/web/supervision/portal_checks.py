"""月巡查 of a unit's own portal: what a ``portal_fetch.Crawl`` shows, as ``Found`` problems.

The same checks as ``inspection`` makes in the database, read from the pages: the portal
does not open; a column (a page listing dated items) whose newest item is older than the
office's period; no 公开指南 linked, or one dated over a year ago; last year's 年度报告 not
linked after 1月31日; links on the portal's own host that do not open (4xx, 5xx, timeouts);
attachments whose bytes are not what their name says; a 规范性文件 page without a 解读 link.
Where a page gives no date, nothing is judged: a finding is made only on what was read.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import date, timedelta

from gongkai.web.disclosure.attachments import sniff_kind

from .inspection import ANNUAL_REPORT_DUE, GUIDE_MAX_AGE_DAYS, Check, Found
from .portal_fetch import Crawl, Fetched, Visit, is_attachment_url, is_html

MIN_LISTING_ITEMS = 3  # fewer dated links is a page that mentions dates, not a column
SUBJECT_MAX = 200  # Finding.subject

# 2024-05-06, 2024/05/06, 2024.05.06, 2024年5月6日
_FULL_DATE = re.compile(r"(?<!\d)(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)")
# [05-06] in lists, where the year is the list's own (the most recent such day is taken)
_SHORT_DATE = re.compile(r"[\[【(（]\s*(\d{1,2})-(\d{1,2})\s*[\]】)）]|^\s*(\d{1,2})-(\d{1,2})\s*$")
_DOC_NUMBER = re.compile(r"〔\d{4}〕\s*\d+\s*号|\[\d{4}\]\s*\d+\s*号")
_FILED_AS_POLICY = re.compile(r"(?:文件类型|公文种类|文种|体裁|类别|分类)\s*[:：]\s*\S{0,6}规范性文件")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls, .wps, .et


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dates_in(text: str) -> list[date]:
    """Every full date written in ``text`` (2024-05-06, 2024年5月6日, 2024/05/06), impossible ones left out."""
    return [d for d in (_day(int(y), int(m), int(dd)) for y, m, dd in _FULL_DATE.findall(text)) if d]


def short_date(text: str, today: date) -> date | None:
    """A list's [05-06]: the most recent such day not after ``today``."""
    match = _SHORT_DATE.search(text)
    if not match:
        return None
    month, day = (int(g) for g in (match.group(1, 2) if match.group(1) else match.group(3, 4)))
    this_year = _day(today.year, month, day)
    if this_year is not None and this_year <= today:
        return this_year
    return _day(today.year - 1, month, day)


def subject_of(prefix: str, url: str) -> str:
    """A finding's subject naming ``url``; a long address is named by its hash so it still fits."""
    subject = f"{prefix}:{url}"
    if len(subject) <= SUBJECT_MAX:
        return subject
    return f"{prefix}:sha1:{hashlib.sha1(url.encode()).hexdigest()}"


def title_of(tree) -> str:
    for tag in ("h1", "title", "h2"):
        for element in tree.iter(tag):
            text = " ".join(element.text_content().split())
            if text:
                return text[:100]
    return ""


def listing_dates(tree, today: date) -> tuple[list[date], bool]:
    """The dates of the page's list items that carry a link, and whether any year was inferred ([05-06])."""
    full, short = [], []
    for element in tree.iter("li", "tr", "dd"):
        if next(element.iter("a"), None) is None:
            continue
        text = " ".join(element.text_content().split())
        found = dates_in(text)
        if found:
            full.append(max(found))
            continue
        for node in element.iter():
            when = short_date(node.text or "", today)
            if when:
                short.append(when)
                break
    if len(full) >= MIN_LISTING_ITEMS:
        return full, False
    if len(full) + len(short) >= MIN_LISTING_ITEMS:
        return full + short, bool(short)
    return [], False


def _dated_outside_lists(tree) -> bool:
    """Whether the page carries a date of its own (发布日期 of an article), outside its lists."""
    bare = copy.deepcopy(tree)
    for element in list(bare.iter("li", "tr", "dd")):
        if element.getparent() is not None:
            element.drop_tree()
    return bool(dates_in(bare.text_content()))


def is_listing(tree, today: date) -> bool:
    """A column's page: at least ``MIN_LISTING_ITEMS`` dated links, and no date of its own (an article
    with a list of related articles has one)."""
    return bool(listing_dates(tree, today)[0]) and not _dated_outside_lists(tree)


def _pages(crawl: Crawl) -> list[Visit]:
    return [visit for visit in crawl.visits if visit.tree is not None]


def stale_columns(crawl: Crawl, today: date, stale_days: int) -> list[Found]:
    limit = today - timedelta(days=stale_days)
    found = []
    for visit in _pages(crawl):
        dates, inferred = listing_dates(visit.tree, today)
        if not dates or max(dates) >= limit or _dated_outside_lists(visit.tree):
            continue
        newest = max(dates)
        guess = "（列表只写月日，年份按最近一年推定）" if inferred else ""
        name = title_of(visit.tree) or visit.link.text or "栏目"
        found.append(Found(Check.STALE_COLUMN, subject_of("column", visit.fetched.final_url),
                           f"栏目「{name}」（{visit.fetched.final_url}）最新一条信息的日期为 {newest:%Y-%m-%d}{guess}，"
                           f"超过 {stale_days} 天未更新"))
    return found


def _visit_of(crawl: Crawl, url: str) -> Visit | None:
    return next((visit for visit in crawl.visits if visit.link.url == url), None)


def guide_missing_or_outdated(crawl: Crawl, today: date) -> list[Found]:
    start = crawl.start
    links = [link for link in crawl.links if "公开指南" in link.text]
    titled = [visit for visit in _pages(crawl) if "公开指南" in title_of(visit.tree)]
    if not links and not titled:
        return [Found(Check.GUIDE, "guide",
                      f"门户网站 {start} 在抓取的 {len(crawl.visits)} 个页面中没有找到政府信息公开指南")]
    pages = titled + [v for v in (_visit_of(crawl, link.url) for link in links) if v is not None and v.tree is not None]
    dated = [(max(dates), visit) for visit in pages if (dates := dates_in(visit.tree.text_content()))]
    if not dated:
        return []  # linked but not read, or read without a date: nothing to judge by
    newest, visit = max(dated, key=lambda pair: pair[0])
    if (today - newest).days <= GUIDE_MAX_AGE_DAYS:
        return []
    return [Found(Check.GUIDE, "guide",
                  f"政府信息公开指南（{visit.fetched.final_url}）最近的日期为 {newest:%Y-%m-%d}，超过一年未更新")]


def annual_report_missing(crawl: Crawl, today: date) -> list[Found]:
    year = today.year - 1
    if today <= date(today.year, *ANNUAL_REPORT_DUE):
        return []
    texts = [link.text for link in crawl.links] + [title_of(visit.tree) for visit in _pages(crawl)]
    if any(str(year) in text and ("年度报告" in text or "年报" in text) for text in texts):
        return []
    return [Found(Check.ANNUAL_REPORT_MISSING, f"annual:{year}",
                  f"门户网站 {crawl.start} 在抓取的 {len(crawl.visits)} 个页面中没有找到 {year} 年度政府信息公开工作"
                  f"年度报告（应于 {today.year}年1月31日前发布）")]


def attachment_problem(url: str, fetched: Fetched) -> str | None:
    """Why an attachment that answered does not open, or None when its bytes are what its name says."""
    body = fetched.body
    if not body:
        return "文件是空的（0 字节）"
    if is_html(fetched) or body.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        return "返回的是网页而不是文件（可能是错误页）"
    extension = url.lower().rsplit(".", 1)[-1]
    if extension == "pdf":
        return None if body.startswith(b"%PDF-") else "内容不是 PDF 文件"
    if extension in ("doc", "xls", "wps", "et"):
        return None if body.startswith(_OLE2) else f"内容不是 .{extension} 文件"
    if fetched.truncated:  # a zip's directory is at its end: only the start can be checked
        return None if body.startswith(b"PK\x03\x04") else f"内容不是 .{extension} 文件"
    wanted = {"docx": "docx", "xlsx": "xlsx"}[extension]
    return None if sniff_kind(body) == wanted else f"内容不是 .{extension} 文件（文件损坏或扩展名与内容不符）"


def _where(visit: Visit, crawl: Crawl) -> str:
    text = f"「{visit.link.text}」" if visit.link.text else ""
    return f"页面 {visit.link.referrer or crawl.start} 上的链接{text}（{visit.link.url}）"


def broken_links_and_attachments(crawl: Crawl) -> list[Found]:
    found = []
    for visit in crawl.visits[1:]:  # the start page is the unreachable-portal check
        if not visit.fetched.ok:
            found.append(Found(Check.BROKEN_LINK, subject_of("link", visit.link.url),
                               f"{_where(visit, crawl)}打不开：{visit.fetched.reason}"))
        elif is_attachment_url(visit.link.url):
            problem = attachment_problem(visit.link.url, visit.fetched)
            if problem:
                found.append(Found(Check.BROKEN_ATTACHMENT, subject_of("attachment", visit.link.url),
                                   f"{_where(visit, crawl)}的附件无法打开：{problem}"))
    return found


def _is_policy(visit: Visit, titles: dict[str, str]) -> bool:
    """A 规范性文件's own page: it carries a 文号, and it is filed as one — its type says so (文件类型：行政规范性
    文件), or it is listed in a column of them.  A notice that only mentions 规范性文件 is not one."""
    title = title_of(visit.tree)
    text = visit.tree.text_content()
    if "解读" in title or not _DOC_NUMBER.search(text) or is_listing(visit.tree, date.max):
        return False
    return bool(_FILED_AS_POLICY.search(text)) or "规范性文件" in titles.get(visit.link.referrer, "")


def without_interpretation(crawl: Crawl) -> list[Found]:
    """A page of a 规范性文件 with no link whose text has 解读."""
    found = []
    pages = _pages(crawl)
    titles = {visit.fetched.final_url: title_of(visit.tree) for visit in pages}
    for visit in pages:
        if not _is_policy(visit, titles):
            continue
        title = title_of(visit.tree)
        if any("解读" in " ".join(a.text_content().split()) for a in visit.tree.iter("a")):
            continue
        found.append(Found(Check.NO_INTERPRETATION, subject_of("policy", visit.fetched.final_url),
                           f"规范性文件「{title}」（{visit.fetched.final_url}）页面没有政策解读链接"))
    return found


def portal_checks(crawl: Crawl, today: date, stale_days: int) -> list[Found]:
    start = crawl.start_visit
    if start is None or not start.fetched.ok:
        reason = start.fetched.reason if start else "没有抓取"
        return [Found(Check.PORTAL_UNREACHABLE, "portal", f"门户网站 {crawl.start} 无法访问：{reason}")]
    return [*stale_columns(crawl, today, stale_days), *guide_missing_or_outdated(crawl, today),
            *annual_report_missing(crawl, today), *broken_links_and_attachments(crawl),
            *without_interpretation(crawl)]
