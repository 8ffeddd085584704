"""Annual report records: draft → 审核 → 待签发 → published; a published version is never changed.

Every service is keyword-only, runs in one transaction, locks the row it changes, checks the
acting user's role with ``rules.require`` and writes an ``AnnualReportEvent``.  Only the
latest version of a year moves on; refreshing from the data or correcting a published
version makes a new version and leaves the earlier ones as they were.  ``acting_user=None``
is the system itself (the demo loader, the command line), never a page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.report import taxonomy as tx
from gongkai.report.checks import blank_cells
from gongkai.report.model import AnnualReport
from gongkai.web.agencies.models import Agency

from .build import annual_build
from .models import AnnualReportEvent, AnnualReportRecord
from .overview import overview_draft
from .rules import require, require_on
from .selectors import latest_version, record_checks

State = AnnualReportRecord.State
Action = AnnualReportEvent.Action
SECTION_MAX_LENGTH = 20000


def _log(record: AnnualReportRecord, action: str, acting_user, before: str, comment: str = "") -> None:
    AnnualReportEvent.objects.create(record=record, action=action, from_state=before, to_state=record.state,
                                     acting_user=acting_user, comment=comment)


def _lock(record: AnnualReportRecord) -> AnnualReportRecord:
    return AnnualReportRecord.objects.select_for_update().select_related("agency").get(pk=record.pk)


def _require_latest(record: AnnualReportRecord) -> None:
    latest = latest_version(record.agency, record.year)
    if record.version != latest:
        raise ValidationError(f"第{record.version}版已被第{latest}版取代，只能在最新版本上操作")


def _require_state(record: AnnualReportRecord, state: str, doing: str) -> None:
    if record.state != state:
        if record.is_locked:
            raise ValidationError(f"第{record.version}版已发布，已锁定，不能{doing}；如需更正，请生成新版本")
        raise ValidationError(f"第{record.version}版当前状态为「{record.get_state_display()}」，不能{doing}")


def _lock_agency(agency: Agency) -> None:
    """Two people making a version of the same agency's report queue here instead of colliding."""
    Agency.objects.select_for_update().filter(pk=agency.pk).first()


def _new_version(*, agency: Agency, year: int, snapshot: dict, acting_user, action: str,
                 comment: str = "") -> AnnualReportRecord:
    _lock_agency(agency)
    record = AnnualReportRecord.objects.create(agency=agency, year=year, version=latest_version(agency, year) + 1,
                                               snapshot=snapshot)
    _log(record, action, acting_user, "", comment)
    return record


def _fresh_snapshot(agency: Agency, year: int, sections: dict | None) -> dict:
    report = annual_build(agency, year).report
    if sections is None:
        report.sections["overview"] = overview_draft(agency, year, report=report)
    else:
        report.sections.update({key: sections.get(key) for key in tx.PROSE_SECTIONS})
    return report.to_json()


def publication_blockers(record: AnnualReportRecord) -> list[str]:
    """Why this version may not go to 审核 or be published yet (it may stay a draft all the same).

    A year not yet over has no final figures; a blank cell would be printed empty, so it is
    filled in or stated as 0 first.  Cells are named as printed, never by key.
    """
    blockers = []
    if record.year >= timezone.localdate().year:
        blockers.append(f"{record.year}年尚未结束，年度报告只能在年度结束后发布（现在可以保存草稿）；"
                        f"请于{record.year + 1}年1月1日以后从数据刷新，再提交审核")
    blank = [tx.cell_label(*cell) for cell in blank_cells(AnnualReport.from_json(record.snapshot))]
    if blank:
        shown = "、".join(blank[:10]) + (f"等{len(blank)}个单元格" if len(blank) > 10 else "")
        blockers.append(f"{shown}没有数字：请填写后从数据刷新（确实没有的请填 0）；表二的行政许可、行政处罚、"
                        "行政强制和收费金额在「年度数据（表二）」页填写")
    return blockers


@transaction.atomic
def annual_report_record_create(*, agency: Agency, year: int, acting_user=None) -> AnnualReportRecord:
    """A new draft version from the database, section 一 drafted from the year's figures."""
    require(acting_user, "create", agency)
    _lock_agency(agency)
    this_year = timezone.localdate().year
    if not tx.FIRST_YEAR_OF_2019_FORMAT <= year <= this_year:
        raise ValidationError(f"年度应在{tx.FIRST_YEAR_OF_2019_FORMAT}年至{this_year}年之间，而不是{year}年")
    pending = (AnnualReportRecord.objects.filter(agency=agency, year=year).exclude(state=State.PUBLISHED)
               .order_by("-version").first())
    if pending is not None:
        raise ValidationError(f"{year}年度已有未发布的第{pending.version}版，请在该版本上修改或从数据刷新")
    return _new_version(agency=agency, year=year, snapshot=_fresh_snapshot(agency, year, None),
                        acting_user=acting_user, action=Action.CREATED)


@transaction.atomic
def annual_report_record_refresh(*, record: AnnualReportRecord, acting_user) -> AnnualReportRecord:
    """A new draft version with the tables as the database gives them now and this draft's texts."""
    record = _lock(record)
    require(acting_user, "refresh", record.agency)
    _require_latest(record)
    _require_state(record, State.DRAFT, "从数据刷新")
    return _new_version(agency=record.agency, year=record.year,
                        snapshot=_fresh_snapshot(record.agency, record.year, record.snapshot.get("sections") or {}),
                        acting_user=acting_user, action=Action.REFRESHED, comment=f"由第{record.version}版刷新")


@transaction.atomic
def annual_report_record_save_sections(*, record: AnnualReportRecord, acting_user, overview: str = "",
                                       problems: str = "", other: str = "") -> AnnualReportRecord:
    """Sections 一、五、六 of a draft; empty text is stored as unstated (null)."""
    record = _lock(record)
    require(acting_user, "edit", record.agency)
    _require_latest(record)
    _require_state(record, State.DRAFT, "修改正文")
    texts = {"overview": overview, "problems": problems, "other": other}
    for key, text in texts.items():
        if len(text or "") > SECTION_MAX_LENGTH:
            title = tx.SECTIONS[key]
            raise ValidationError(f"{title.number}、{title.title}超过{SECTION_MAX_LENGTH}字，请精简")
    record.snapshot = {**record.snapshot, "sections": {key: (text or "").strip() or None for key, text in texts.items()}}
    record.save(update_fields=["snapshot"])
    _log(record, Action.SECTIONS_SAVED, acting_user, record.state)
    return record


@transaction.atomic
def annual_report_record_submit(*, record: AnnualReportRecord, acting_user) -> AnnualReportRecord:
    """Draft → 审核; refused while section 一 is empty or a check finds an error."""
    record = _lock(record)
    require(acting_user, "submit", record.agency)
    _require_latest(record)
    _require_state(record, State.DRAFT, "提交审核")
    if not ((record.snapshot.get("sections") or {}).get("overview") or "").strip():
        raise ValidationError("请先填写“一、总体情况”再提交审核")
    errors = [issue for issue in record_checks(record) if issue.severity == "error"]
    blockers = publication_blockers(record)
    if errors or blockers:
        raise ValidationError([f"检查发现错误：{issue.text}" for issue in errors] + blockers)
    before, record.state = record.state, State.IN_REVIEW
    record.save(update_fields=["state"])
    _log(record, Action.SUBMITTED, acting_user, before)
    return record


@transaction.atomic
def annual_report_record_approve(*, record: AnnualReportRecord, acting_user, comment: str = "") -> AnnualReportRecord:
    record = _lock(record)
    require_on(acting_user, "approve", record)
    _require_latest(record)
    _require_state(record, State.IN_REVIEW, "审核通过")
    before, record.state = record.state, State.APPROVED
    record.save(update_fields=["state"])
    _log(record, Action.APPROVED, acting_user, before, comment.strip())
    return record


@transaction.atomic
def annual_report_record_return(*, record: AnnualReportRecord, acting_user, comment: str) -> AnnualReportRecord:
    """审核 → draft, with the reviewer's reason for the writers."""
    record = _lock(record)
    require(acting_user, "return", record.agency)
    _require_latest(record)
    _require_state(record, State.IN_REVIEW, "退回修改")
    if not (comment or "").strip():
        raise ValidationError("请填写退回理由")
    before, record.state = record.state, State.DRAFT
    record.save(update_fields=["state"])
    _log(record, Action.RETURNED, acting_user, before, comment.strip())
    return record


@transaction.atomic
def annual_report_record_publish(*, record: AnnualReportRecord, acting_user) -> AnnualReportRecord:
    """待签发 → published: from now on this version is locked."""
    record = _lock(record)
    require_on(acting_user, "publish", record)
    _require_latest(record)
    _require_state(record, State.APPROVED, "签发发布")
    blockers = publication_blockers(record)
    if blockers:
        raise ValidationError(blockers)
    before, record.state, record.published_at = record.state, State.PUBLISHED, timezone.now()
    record.save(update_fields=["state", "published_at"])
    _log(record, Action.PUBLISHED, acting_user, before)
    return record


@transaction.atomic
def annual_report_record_correct(*, record: AnnualReportRecord, acting_user, comment: str = "") -> AnnualReportRecord:
    """A correction of a published version: version n+1 as a draft copy of it (n stays published)."""
    record = _lock(record)
    require(acting_user, "correct", record.agency)
    _require_latest(record)
    if not record.is_locked:
        raise ValidationError(f"第{record.version}版尚未发布，请直接修改，无需更正")
    snapshot = {**record.snapshot, "issues": []}
    note = f"更正第{record.version}版" + (f"：{comment.strip()}" if comment.strip() else "")
    return _new_version(agency=record.agency, year=record.year, snapshot=snapshot, acting_user=acting_user,
                        action=Action.CORRECTED, comment=note)


def annual_report_record_advance(*, record: AnnualReportRecord, acting_user=None) -> AnnualReportRecord:
    """The next stage of the public lifecycle: draft → 审核 → published.

    From 审核 this is approval and 签发 together, so the acting user needs both roles (the
    system, ``None``, has them); pages use the single-step services instead.
    """
    record = AnnualReportRecord.objects.get(pk=record.pk)
    if record.state == State.DRAFT:
        return annual_report_record_submit(record=record, acting_user=acting_user)
    with transaction.atomic():
        if record.state == State.IN_REVIEW:
            record = annual_report_record_approve(record=record, acting_user=acting_user)
        return annual_report_record_publish(record=record, acting_user=acting_user)
