"""月巡查: the automatic checks of a unit's 公开专栏, for units on gongkai, read from the database.

Each check yields ``Found`` problems; ``services.inspection_run`` turns them into findings,
once per subject while one is open.  Checks: a column (or the whole 专栏) with nothing
published within the office's period; items published after, or still unpublished past,
their 第二十六条 day; no 公开指南, or one unchanged for over a year; last year's annual
report not published after 1月31日; a 规章 or 行政规范性文件 published without a published 解读;
an attachment of a published item whose stored bytes are missing, cut short or not what its
kind says; a link in a published item's 正文 to a page of this site that does not exist or
is not public (the portal's own gate decides).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Length
from django.http.request import validate_host
from django.urls import Resolver404, resolve
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.disclosure.attachments import sniff_kind
from gongkai.web.disclosure.models import GENRES_WITH_VALIDITY, AgencyDisclosure, Attachment, Genre, Publication
from gongkai.web.disclosure.selectors import publications_public
from gongkai.web.portal.selectors import annual_reports_public

from .models import Finding

ANNUAL_REPORT_DUE = (1, 31)  # 条例第五十条: by 31 January each year
LATE_LOOKBACK_DAYS = 400  # items formed within about a year are checked against 第二十六条
GUIDE_MAX_AGE_DAYS = 365  # 条例第十二条: the guide is "及时更新"; a year unchanged is called outdated
Check = Finding.Check


@dataclass(frozen=True)
class Found:
    check: str
    subject: str
    description: str
    publication: Publication | None = None


def _published(agency: Agency):
    return Publication.objects.filter(agency=agency, state=Publication.State.PUBLISHED, revision_of=None)


def stale_columns(agency: Agency, today: date, stale_days: int) -> list[Found]:
    """The whole 专栏 and each named column whose latest item is older than ``stale_days`` (or that has none)."""
    limit = today - timedelta(days=stale_days)
    found = []
    latest = _published(agency).aggregate(last=Max("published_on"))["last"]
    if latest is None or latest < limit:
        since = f"最近一次发布为 {latest:%Y-%m-%d}" if latest else "还没有发布过信息"
        found.append(Found(Check.STALE_COLUMN, "column:", f"公开专栏超过 {stale_days} 天未更新（{since}）"))
    columns = (_published(agency).exclude(column="").values("column").annotate(last=Max("published_on"))
               .order_by("column"))
    for row in columns:
        if row["last"] is not None and row["last"] < limit:
            found.append(Found(Check.STALE_COLUMN, f"column:{row['column']}",
                               f"专栏「{row['column']}」超过 {stale_days} 天未更新（最近一次发布为 {row['last']:%Y-%m-%d}）"))
    return found


def late_publications(agency: Agency, today: date) -> list[Found]:
    """Items past their 第二十六条 day (``Publication.is_late``): published late, or still unpublished."""
    candidates = (Publication.objects.filter(agency=agency, revision_of=None,
                                             formed_on__gte=today - timedelta(days=LATE_LOOKBACK_DAYS))
                  .exclude(state__in=[Publication.State.WITHDRAWN, Publication.State.MERGED]).order_by("formed_on"))
    found = []
    for item in candidates:
        if item.is_late(today):
            due = item.disclosure_due_on()
            how = (f"于 {item.published_on:%Y-%m-%d} 发布" if item.state == Publication.State.PUBLISHED
                   else "至今未发布")
            found.append(Found(Check.LATE_PUBLICATION, f"publication:{item.pk}",
                               f"「{item.title}」形成于 {item.formed_on:%Y-%m-%d}，应在 {due:%Y-%m-%d} 前公开，{how}",
                               item))
    return found


def annual_report_missing(agency: Agency, today: date) -> list[Found]:
    """Last year's annual report not published, once 1月31日 has passed."""
    year = today.year - 1
    if today <= date(today.year, *ANNUAL_REPORT_DUE):
        return []
    if AnnualReportRecord.objects.filter(agency=agency, year=year, state=AnnualReportRecord.State.PUBLISHED).exists():
        return []
    return [Found(Check.ANNUAL_REPORT_MISSING, f"annual:{year}",
                  f"{year}年度政府信息公开工作年度报告应于 {today.year}年1月31日前发布，至今未发布")]


def without_interpretation(agency: Agency) -> list[Found]:
    """Published 规章 and 行政规范性文件 that no published 政策解读 interprets."""
    interpreted = Publication.objects.filter(interprets=OuterRef("pk"), genre=Genre.INTERPRETATION,
                                             state=Publication.State.PUBLISHED)
    policies = (_published(agency).filter(genre__in=GENRES_WITH_VALIDITY).filter(~Exists(interpreted))
                .order_by("published_on", "pk"))
    return [Found(Check.NO_INTERPRETATION, f"publication:{item.pk}",
                  f"「{item.title}」（{item.get_genre_display()}）已发布，没有发布政策解读", item) for item in policies]


def guide_missing_or_outdated(agency: Agency, today: date) -> list[Found]:
    """No 政府信息公开指南 on the 专栏, or one not changed for more than ``GUIDE_MAX_AGE_DAYS``."""
    disclosure = AgencyDisclosure.objects.filter(agency=agency).first()
    if disclosure is None or not disclosure.guide.strip():
        return [Found(Check.GUIDE, "guide", "公开专栏没有政府信息公开指南")]
    changed_at = None
    # In the order written (history_id), newest first: the text as it stood back to its last change.
    for guide, when in disclosure.history.order_by("-history_id").values_list("guide", "history_date"):
        if guide != disclosure.guide:
            break
        changed_at = when  # the earliest version, in the latest run, that holds today's text
    if changed_at is None:
        return []  # no history kept (loaded outside the app): no date to judge by
    changed_on = timezone.localdate(changed_at)
    if (today - changed_on).days <= GUIDE_MAX_AGE_DAYS:
        return []
    return [Found(Check.GUIDE, "guide", f"政府信息公开指南自 {changed_on:%Y-%m-%d} 起未更新，超过一年")]


def broken_attachments(agency: Agency) -> list[Found]:
    """Attachments of published items whose stored bytes are gone, shorter than recorded, or not their kind."""
    found = []
    attachments = (Attachment.objects.filter(publication__in=_published(agency)).select_related("publication")
                   .annotate(stored=Length("content")).defer("content").order_by("publication_id", "pk"))
    for attachment in attachments:
        if not attachment.stored:
            problem = "文件内容缺失"
        elif attachment.stored != attachment.size:
            problem = f"文件不完整（记录 {attachment.size} 字节，实存 {attachment.stored} 字节）"
        else:  # one attachment's bytes at a time: they can be large
            content = bytes(Attachment.objects.values_list("content", flat=True).get(pk=attachment.pk))
            problem = None if sniff_kind(content) == attachment.kind else f"内容不是 {attachment.get_kind_display()} 文件"
        if problem:
            item = attachment.publication
            found.append(Found(Check.BROKEN_ATTACHMENT, f"attachment:{attachment.pk}",
                               f"「{item.title}」的附件「{attachment.name}」无法打开：{problem}", item))
    return found


# A link typed in a 正文: an address, or a path of this site's portal; it ends at a space or Chinese punctuation.
_LINK = re.compile(r"https?://[^\s<>\"'，。；、！？）)】」]+|(?<![\w/.])/(?:portal|search)[^\s<>\"'，。；、！？）)】」]*")


def _internal_path(link: str) -> str | None:
    """The path of a link to this site (a bare path, or an address on one of ``ALLOWED_HOSTS``), else None."""
    if link.startswith("/"):
        return urlsplit(link).path
    parts = urlsplit(link)
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]  # '*' names no host in particular
    if parts.hostname and validate_host(parts.hostname, hosts):
        return parts.path or "/"
    return None


def _target_missing(path: str) -> bool:
    """Whether the portal page ``path`` names does not exist or is not public."""
    try:
        match = resolve(path)
    except Resolver404:
        if path.endswith("/"):
            return True
        return _target_missing(path + "/")  # APPEND_SLASH takes the reader there
    kwargs = match.kwargs
    if match.view_name == "portal:publication":
        return not publications_public().filter(pk=kwargs["pk"]).exists()
    if match.view_name == "portal:attachment":
        return not Attachment.objects.filter(pk=kwargs["pk"], publication__in=publications_public()).exists()
    if match.view_name.startswith("portal:annual_report"):
        return not annual_reports_public().filter(agency_id=kwargs["agency_id"], year=kwargs["year"]).exists()
    if "agency_id" in kwargs:
        return not Agency.objects.filter(pk=kwargs["agency_id"]).exists()
    return False


def broken_internal_links(agency: Agency) -> list[Found]:
    """Links in published items' 正文 to pages of this site that do not open."""
    found = []
    for item in _published(agency).exclude(body="").only("pk", "title", "body").order_by("pk"):
        broken = [link for link in dict.fromkeys(_LINK.findall(item.body))
                  if (path := _internal_path(link)) is not None and _target_missing(path)]
        if broken:
            found.append(Found(Check.BROKEN_LINK, f"publication:{item.pk}",
                               f"「{item.title}」正文中的站内链接打不开：{'、'.join(broken)[:1500]}", item))
    return found


def automatic_checks(agency: Agency, today: date, stale_days: int) -> list[Found]:
    return [*stale_columns(agency, today, stale_days), *late_publications(agency, today),
            *guide_missing_or_outdated(agency, today), *annual_report_missing(agency, today),
            *without_interpretation(agency), *broken_attachments(agency), *broken_internal_links(agency)]
