"""Changes to the supervision records; every one checks the acting user's role here, whatever the way in.

The office (主管部门 role in the office) keeps its roster, items and deadline, runs the
monthly inspection and reviews 整改; a unit's 联络员 or 机构管理员 answers the unit's
check-in and its findings.  A supervisor never answers for a unit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.selectors import visible_agency_ids
from gongkai.web.cases.models import Application
from gongkai.web.disclosure.models import Publication

from .inspection import automatic_checks
from .models import Checkin, CheckinAnswer, CheckinItem, Finding, OfficeSettings, RosterUnit
from .portal_checks import portal_checks
from .portal_fetch import Fetcher, FetchLimits, crawl
from .roster_import import RosterHasErrors, read_roster, stored_entry
from .selectors import (
    is_supervisor_of,
    may_answer_checkin,
    may_reply_finding,
    office_settings_of,
    offices_of_unit,
    unit_agencies,
    week_due_at,
    week_start_of,
)

log = logging.getLogger(__name__)

ROSTER_FIELDS = ("name", "portal_url", "liaison_name", "liaison_phone", "liaison_user", "leader_name",
                 "leader_phone", "leader_user")


def require_supervisor(user, office: Agency) -> None:
    if not is_supervisor_of(user, office):
        raise PermissionDenied("您不是该机构的政务公开监督人员（主管部门岗位）")


# ---------------------------------------------------------------- roster


@dataclass
class RosterImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"新增 {self.created} 个单位，更新 {self.updated} 个，未变 {self.unchanged} 个"


def roster_import(*, office: Agency, acting_user, data: bytes) -> RosterImportResult:
    """Import a roster file: every row or none.  Rows update the unit's entry, so a second import changes nothing."""
    require_supervisor(acting_user, office)
    planned, errors = read_roster(office, data)
    if errors:
        raise RosterHasErrors(errors)
    result = RosterImportResult()
    with transaction.atomic():
        for unit in planned:
            entry = stored_entry(office, unit)
            changed = {name: value for name, value in unit.values.items() if getattr(entry, name) != value}
            if entry.pk is not None and not changed:
                result.unchanged += 1
                continue
            if entry.pk is None:
                result.created += 1
            else:
                result.updated += 1
            for name, value in changed.items():
                setattr(entry, name, value)
            entry._history_user = acting_user
            entry.save()
    return result


@transaction.atomic
def roster_unit_set_reports_subtree(*, office: Agency, agency: Agency, acting_user, reports_subtree: bool) -> RosterUnit:
    """Say whether ``agency``'s annual report already includes its lower units' figures (the roll-up's option)."""
    require_supervisor(acting_user, office)
    if agency.pk not in office.subtree_ids() - {office.pk}:
        raise PermissionDenied("该单位不在本机构的监督范围内")
    entry, _ = RosterUnit.objects.select_for_update().get_or_create(
        office=office, agency=agency, defaults={"name": agency.full_name})
    if entry.reports_subtree != reports_subtree:
        entry.reports_subtree = reports_subtree
        entry._history_user = acting_user
        entry.save(update_fields=["reports_subtree"])
    return entry


# ---------------------------------------------------------------- check-in items and deadline


def checkin_item_add(*, office: Agency, acting_user, text: str, kind: str) -> CheckinItem:
    require_supervisor(acting_user, office)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写打卡事项"})
    if kind not in CheckinItem.Kind.values:
        raise ValidationError({"kind": "类型无效"})
    last = CheckinItem.objects.filter(office=office).order_by("-position").values_list("position", flat=True).first()
    item = CheckinItem(office=office, text=text, kind=kind, position=(last or 0) + 1)
    item._history_user = acting_user
    item.save()
    return item


def checkin_item_set_active(*, item: CheckinItem, acting_user, active: bool) -> CheckinItem:
    require_supervisor(acting_user, item.office)
    item.active = active
    item._history_user = acting_user
    item.save(update_fields=["active"])
    return item


def checkin_deadline_set(*, office: Agency, acting_user, weekday: int, due_time: time) -> OfficeSettings:
    require_supervisor(acting_user, office)
    if weekday not in OfficeSettings.Weekday.values:
        raise ValidationError({"weekday": "截止日无效"})
    chosen, _ = OfficeSettings.objects.get_or_create(office=office)
    chosen.weekday, chosen.due_time = weekday, due_time
    chosen._history_user = acting_user
    chosen.save()
    return chosen


# ---------------------------------------------------------------- the unit's check-in


@dataclass
class AnswerInput:
    item: CheckinItem
    answer: bool | None = None
    note: str = ""
    publication_ids: tuple[int, ...] = ()
    application_ids: tuple[int, ...] = ()


def _evidence(model, ids, agency: Agency, acting_user, label: str, errors: dict, key: str):
    """The records ``ids`` names, each of the unit's own agency and visible to the user (the one gate)."""
    if not ids:
        return []
    visible = visible_agency_ids(acting_user)
    found = {record.pk: record for record in model.objects.filter(pk__in=ids, agency=agency)}
    unknown = [str(pk) for pk in ids if pk not in found or (visible is not None and agency.pk not in visible)]
    if unknown:
        errors[key] = f"{label}编号 {'、'.join(unknown)} 不是本单位的记录"
    return list(found.values())


def checkin_submit(*, office: Agency, agency: Agency, acting_user, answers: list[AnswerInput]) -> Checkin:
    """The unit's check-in of this week: one per week, every active item answered, late when past the deadline."""
    if not may_answer_checkin(acting_user, agency):
        raise PermissionDenied("只有本单位的联络员或机构管理员可以报送周打卡")
    if office.pk not in {o.pk for o in offices_of_unit(agency)}:
        raise PermissionDenied("该机构没有要求本单位周打卡")
    now = timezone.now()
    week = week_start_of(timezone.localdate(now))
    items = list(CheckinItem.objects.filter(office=office, active=True))
    given = {a.item.pk: a for a in answers if a.item.office_id == office.pk}
    errors: dict[str, str] = {}
    planned = []
    for item in items:
        answer = given.get(item.pk) or AnswerInput(item)
        key = f"item_{item.pk}"
        if item.kind == CheckinItem.Kind.YES_NO and answer.answer is None:
            errors[key] = f"请回答「{item.text}」"
        note = (answer.note or "").strip()
        if len(note) > 2000:
            errors[key] = "说明超过 2000 字"
        publications = _evidence(Publication, answer.publication_ids, agency, acting_user, "主动公开", errors,
                                 f"{key}_publications")
        applications = _evidence(Application, answer.application_ids, agency, acting_user, "依申请", errors,
                                 f"{key}_applications")
        if item.kind == CheckinItem.Kind.EVIDENCE and not (note or publications or applications):
            errors.setdefault(key, f"「{item.text}」须提供佐证材料（主动公开、依申请记录或说明）")
        planned.append((item, answer.answer, note, publications, applications))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            checkin = Checkin(office=office, agency=agency, week_start=week, due_at=week_due_at(office, week),
                              submitted_at=now, submitted_by=acting_user)
            checkin._history_user = acting_user
            checkin.save()
            for item, value, note, publications, applications in planned:
                row = CheckinAnswer.objects.create(checkin=checkin, item=item, item_text=item.text, answer=value,
                                                   note=note)
                row.publications.set(publications)
                row.applications.set(applications)
    except IntegrityError:
        raise ValidationError("本周已报送过周打卡") from None
    return checkin


# ---------------------------------------------------------------- 月巡查 and 整改


def _month_of(day: date) -> date:
    return day.replace(day=1)


def inspection_settings_set(*, office: Agency, acting_user, stale_days: int, rectification_days: int) -> OfficeSettings:
    require_supervisor(acting_user, office)
    if not 1 <= stale_days <= 3650:
        raise ValidationError({"stale_days": "专栏未更新天数应在 1—3650 之间"})
    if not 1 <= rectification_days <= 365:
        raise ValidationError({"rectification_days": "整改期限应在 1—365 天之间"})
    chosen, _ = OfficeSettings.objects.get_or_create(office=office)
    chosen.stale_days, chosen.rectification_days = stale_days, rectification_days
    chosen._history_user = acting_user
    chosen.save()
    return chosen


def _new_finding(office: Agency, agency: Agency | None, acting_user, today: date, due_on: date | None = None,
                 **fields) -> Finding:
    due_on = due_on or today + timedelta(days=office_settings_of(office).rectification_days)
    finding = Finding(office=office, agency=agency, month=_month_of(today), found_by=acting_user, due_on=due_on,
                      **fields)
    finding._history_user = acting_user
    finding.save()
    return finding


@dataclass
class UnitInspected:
    name: str
    pages: int = 0  # requests made to the unit's portal
    added: int = 0
    note: str = ""  # a fetch failure or a check skipped, in Chinese


@dataclass
class InspectionRun:
    """What one run did: each unit checked, pages fetched, findings added."""

    units: list[UnitInspected] = field(default_factory=list)
    created: list[Finding] = field(default_factory=list)

    @property
    def pages_fetched(self) -> int:
        return sum(unit.pages for unit in self.units)

    @property
    def notes(self) -> list[str]:
        return [f"{unit.name}：{unit.note}" for unit in self.units if unit.note]

    def __str__(self) -> str:
        return (f"检查 {len(self.units)} 个单位，抓取门户网站页面 {self.pages_fetched} 个，"
                f"新发现 {len(self.created)} 个问题（仍在整改中的问题不重复列出）")


def portal_fetcher() -> Fetcher:
    """A fetcher with the site's limits (settings ``GONGKAI_PORTAL_*``)."""
    return Fetcher(FetchLimits(
        connect_timeout=settings.GONGKAI_PORTAL_CONNECT_TIMEOUT, read_timeout=settings.GONGKAI_PORTAL_READ_TIMEOUT,
        total_timeout=settings.GONGKAI_PORTAL_TOTAL_TIMEOUT, max_bytes=settings.GONGKAI_PORTAL_MAX_BYTES,
        max_redirects=settings.GONGKAI_PORTAL_MAX_REDIRECTS, min_interval=settings.GONGKAI_PORTAL_MIN_INTERVAL,
        allow_private=settings.GONGKAI_PORTAL_ALLOW_PRIVATE))


def _findings_save(office: Agency, acting_user, today: date, found: list, **unit) -> list[Finding]:
    """``found`` as new findings of one unit, leaving out what is already open for its check and subject."""
    created = []
    with transaction.atomic():
        open_subjects = set(Finding.objects.filter(office=office, **unit).exclude(state=Finding.State.ACCEPTED)
                            .values_list("kind", "subject"))
        for problem in found:
            if (problem.check, problem.subject) in open_subjects:
                continue
            open_subjects.add((problem.check, problem.subject))
            created.append(_new_finding(office, unit.get("agency"), acting_user, today,
                                        roster_unit=unit.get("roster_unit"), kind=problem.check,
                                        subject=problem.subject, description=problem.description,
                                        publication=problem.publication))
    return created


def _portal_inspect(office: Agency, entry: RosterUnit, acting_user, today: date, stale_days: int,
                    fetcher: Fetcher) -> tuple[UnitInspected, list[Finding]]:
    unit = UnitInspected(entry.name)
    before = fetcher.requests
    try:
        crawled = crawl(entry.portal_url, fetcher, max_pages=settings.GONGKAI_PORTAL_MAX_PAGES,
                        max_depth=settings.GONGKAI_PORTAL_MAX_DEPTH)
        found = portal_checks(crawled, today, stale_days)
    except Exception as error:  # one portal's surprise never stops the office's run
        log.exception("portal inspection of %s failed", entry.portal_url)
        unit.pages = fetcher.requests - before
        unit.note = f"巡查门户网站 {entry.portal_url} 时出错（{type(error).__name__}），本次未检查"
        return unit, []
    unit.pages = fetcher.requests - before
    if found and found[0].check == Finding.Check.PORTAL_UNREACHABLE:
        unit.note = found[0].description
    elif crawled.budget_reached:
        unit.note = f"页面较多，本次只检查了前 {len(crawled.visits)} 个"
    created = _findings_save(office, acting_user, today, found, roster_unit=entry)
    unit.added = len(created)
    return unit, created


def inspection_run(*, office: Agency, acting_user, today: date | None = None, fetch_portals: bool = True,
                   fetcher: Fetcher | None = None) -> InspectionRun:
    """The month's automatic checks over every unit of ``office``: the database of each unit on gongkai,
    the pages of each roster unit with its own portal (``fetch_portals``); what it checked and found.

    A problem already open (待整改、已答复、退回) for the same unit, check and subject is not
    listed again, so running twice in a month, or every month, adds nothing twice.  ``acting_user``
    None is the scheduled job (``inspection_job``); anyone else must supervise the office.
    """
    if acting_user is not None:
        require_supervisor(acting_user, office)
    today = today or timezone.localdate()
    stale_days = office_settings_of(office).stale_days
    run = InspectionRun()
    for agency in unit_agencies(office):
        created = _findings_save(office, acting_user, today, automatic_checks(agency, today, stale_days),
                                 agency=agency)
        run.units.append(UnitInspected(agency.full_name, added=len(created)))
        run.created += created
    portals = RosterUnit.objects.filter(office=office, agency__isnull=True).exclude(portal_url="").order_by("name")
    fetcher = fetcher or portal_fetcher()
    for entry in portals:
        if not fetch_portals:
            run.units.append(UnitInspected(entry.name, note="本次未抓取门户网站"))
            continue
        unit, created = _portal_inspect(office, entry, acting_user, today, stale_days, fetcher)
        run.units.append(unit)
        run.created += created
    return run


def finding_add(*, office: Agency, agency: Agency, acting_user, description: str,
                due_on: date | None = None) -> Finding:
    """An inspector's own finding (a broken link, a missing 公开指南 seen by hand)."""
    require_supervisor(acting_user, office)
    if agency.pk not in office.subtree_ids() - {office.pk}:
        raise ValidationError({"agency": "该单位不在本机构监督范围内"})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": "请填写发现的问题"})
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        raise ValidationError({"due_on": "整改期限不能早于今天"})
    return _new_finding(office, agency, acting_user, today, due_on, kind=Finding.Check.MANUAL,
                        description=description)


def finding_reply(*, finding: Finding, acting_user, reply: str, publication_ids: tuple[int, ...] = ()) -> Finding:
    """The unit's 整改 answer: what it did, with its own publications as evidence."""
    if not may_reply_finding(acting_user, finding):
        raise PermissionDenied("只有本单位的联络员或机构管理员可以答复整改")
    reply = (reply or "").strip()
    errors: dict[str, str] = {}
    if not reply:
        errors["reply"] = "请填写整改情况"
    publications = _evidence(Publication, publication_ids, finding.agency, acting_user, "主动公开", errors,
                             "publications")
    if errors:
        raise ValidationError(errors)
    try:
        finding.mark_replied()
    except TransitionNotAllowed:
        raise ValidationError(f"该问题当前为「{finding.get_state_display()}」，不能答复") from None
    finding.reply, finding.replied_at, finding.replied_by = reply, timezone.now(), acting_user
    finding._history_user = acting_user
    with transaction.atomic():
        finding.save()
        finding.reply_publications.set(publications)
    return finding


def _review(finding: Finding, acting_user, comment: str, transition_name: str) -> Finding:
    require_supervisor(acting_user, finding.office)
    try:
        getattr(finding, transition_name)()
    except TransitionNotAllowed:
        raise ValidationError(f"该问题当前为「{finding.get_state_display()}」，不能审核") from None
    finding.review_comment, finding.reviewed_at, finding.reviewed_by = comment, timezone.now(), acting_user
    finding._history_user = acting_user
    finding.save()
    return finding


def finding_accept(*, finding: Finding, acting_user, comment: str = "") -> Finding:
    return _review(finding, acting_user, (comment or "").strip(), "mark_accepted")


def finding_return(*, finding: Finding, acting_user, comment: str, due_on: date | None = None) -> Finding:
    """Back to the unit with the reason, and a new deadline when given."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "退回须写明理由"})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": "整改期限不能早于今天"})
    if due_on is not None:
        finding.due_on = due_on
    return _review(finding, acting_user, comment, "mark_returned")
