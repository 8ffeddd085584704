"""Changes to the annual-report filings of units not on gongkai: file, return, pass, publish.

A file is read with ``gongkai.report.read.read_report`` before anything is stored; a file that
cannot be read is refused with a Chinese reason naming it, and what was stored stays as it was.
Every check of ``gongkai.report.checks`` runs on it, against last year's filing where there is
one (上年结转 = 上年结转下年度), plus two of the filing itself (the year and the unit's name).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.corpus.names import spelled_out
from gongkai.corpus.sources import Fetch, FetchError
from gongkai.errors import GongkaiError
from gongkai.report.checks import check_report
from gongkai.report.model import AnnualReport
from gongkai.report.names import is_abbreviation
from gongkai.report.read import read_report
from gongkai.report.read.sources import MAX_INPUT_BYTES

from .collection import filing_report, may_file, previous_filing
from .models import ReportFiling, RosterUnit
from .selectors import is_supervisor_of

Filing = ReportFiling.State
FETCH_TIMEOUT = 20.0
COMMENT_MAX = 4000


@dataclass(frozen=True)
class FiledFile:
    """A file as filed: its name, bytes and, when it was fetched, the address."""

    name: str
    data: bytes
    url: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def fetched(url: str, *, field: str = "url") -> FiledFile:
    """The file at ``url`` (http or https), fetched with a timeout and the reader's size limit."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({field: "网址应以 http:// 或 https:// 开头，且为有效地址"}) from None
    try:
        data = Fetch(timeout=FETCH_TIMEOUT, interval=0, max_bytes=MAX_INPUT_BYTES).get(url)
    except FetchError as error:
        raise ValidationError({field: f"无法获取「{url}」：{error}"}) from None
    name = unquote(PurePosixPath(urlsplit(url).path).name) or "index.html"
    return FiledFile(name, data, url)


def names_agree(stated: str, unit: str) -> bool:
    """Whether two spellings name the same unit: equal once spelled out, one an abbreviation or the tail of the other."""
    a, b = spelled_out(stated or ""), spelled_out(unit or "")
    return bool(a and b) and (a == b or is_abbreviation(a, b) or is_abbreviation(b, a) or a.endswith(b)
                              or b.endswith(a))


def read_filed(file: FiledFile, *, unit: RosterUnit, year: int, field: str = "file") -> AnnualReport:
    """The report in ``file``, with every check run on it; a ``ValidationError`` naming the file if it cannot be read."""
    try:
        report = read_report(file.data, filename=file.name)
    except GongkaiError as error:
        raise ValidationError({field: f"「{file.name}」无法读取：{error.message}"}) from None
    previous = previous_filing(unit, year)
    check_report(report, previous=filing_report(previous) if previous else None)
    if report.year is not None and report.year != year:
        report.add_issue("filing.year", "error", "year",
                         f"报送的是{year}年度报告，文件中读到的年度是{report.year}年")
    if report.agency and not names_agree(report.agency, unit.name):
        report.add_issue("filing.agency", "warning", "agency",
                         f"文件中读到的单位是「{report.agency}」，报送单位是「{unit.name}」")
    return report


def _next_version(unit: RosterUnit, year: int) -> int:
    """The version a new filing gets; refused while one waits for review or after one passed."""
    latest = ReportFiling.objects.filter(unit=unit, year=year).defer("content").order_by("-version").first()
    if latest is None:
        return 1
    if latest.state == Filing.FILED:
        raise ValidationError(f"{unit.name} {year}年度报告第{latest.version}版已报送，正在等待审核，审核退回后才能重新报送")
    if latest.state in (Filing.PASSED, Filing.PUBLISHED):
        raise ValidationError(f"{unit.name} {year}年度报告第{latest.version}版已审核通过，不能再报送")
    return latest.version + 1


def filing_submit(*, unit: RosterUnit, year: int, acting_user, file: FiledFile) -> ReportFiling:
    """File the unit's report of ``year`` as a new version (the first, or the next after a return)."""
    if not may_file(acting_user, unit):
        raise PermissionDenied("只有该单位的联络员或其监督机构可以报送年度报告")
    report = read_filed(file, unit=unit, year=year)
    version = _next_version(unit, year)
    filing = ReportFiling(unit=unit, year=year, version=version, file_name=file.name[:255], source_url=file.url,
                          content=file.data, sha256=file.sha256, report=report.to_json(), filed_at=timezone.now(),
                          filed_by=acting_user)
    filing._history_user = acting_user
    try:
        with transaction.atomic():
            filing.save()
    except IntegrityError:
        raise ValidationError("同一版本刚刚已由他人报送，请刷新页面后查看") from None
    return filing


def require_reviewer(user, filing: ReportFiling) -> None:
    if not is_supervisor_of(user, filing.unit.office):
        raise PermissionDenied("您不是该单位监督机构的政务公开监督人员（主管部门岗位）")


def _review(filing: ReportFiling, acting_user, comment: str, transition: str) -> ReportFiling:
    require_reviewer(acting_user, filing)
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": f"审核意见超过 {COMMENT_MAX} 字"})
    if filing.state != Filing.FILED:
        raise ValidationError(f"第{filing.version}版当前为「{filing.get_state_display()}」，不能审核")
    getattr(filing, transition)()
    filing.review_comment, filing.reviewed_at, filing.reviewed_by = comment, timezone.now(), acting_user
    filing._history_user = acting_user
    filing.save(update_fields=["state", "review_comment", "reviewed_at", "reviewed_by"])
    return filing


def filing_return(*, filing: ReportFiling, acting_user, comment: str) -> ReportFiling:
    """Back to the unit with the office's comments; the unit files again as a new version."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "退回须写明意见"})
    return _review(filing, acting_user, comment, "mark_returned")


def filing_pass(*, filing: ReportFiling, acting_user, comment: str = "") -> ReportFiling:
    return _review(filing, acting_user, (comment or "").strip(), "mark_passed")


def filing_publish(*, filing: ReportFiling, acting_user, file: FiledFile) -> ReportFiling:
    """Record the file the unit published (uploaded, or fetched from its address) and its hash.

    Any file is recorded; whether it is the version passed is ``filing.published_matches``,
    shown as a problem where it is not.
    """
    if not may_file(acting_user, filing.unit):
        raise PermissionDenied("只有该单位的联络员或其监督机构可以登记发布的年度报告")
    if filing.state not in (Filing.PASSED, Filing.PUBLISHED):
        raise ValidationError(f"第{filing.version}版当前为「{filing.get_state_display()}」，审核通过后才能登记发布")
    filing.mark_published()
    filing.published_name, filing.published_url = file.name[:255], file.url
    filing.published_sha256, filing.published_at, filing.published_by = file.sha256, timezone.now(), acting_user
    filing._history_user = acting_user
    filing.save(update_fields=["state", "published_name", "published_url", "published_sha256", "published_at",
                               "published_by"])
    return filing
