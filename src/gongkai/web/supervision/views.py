"""The supervision pages: the office's roster, check-ins and findings; a unit's check-in, findings, history.

Views stay thin: which office a user runs comes from ``selectors.offices_supervised_by``, which
check-ins a user sees from ``checkins_visible_to`` (the one gate); the services check roles again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.ledger.errors import row_errors_first
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.query import id_from
from gongkai.web.staff.service_forms import add_service_errors

from . import dashboard as dashboards
from . import services
from .charts import dashboard_charts
from .digest import digest_of
from .forms import (
    CheckinForm,
    DeadlineForm,
    InspectionSettingsForm,
    ItemForm,
    ManualFindingForm,
    ReplyForm,
    ReviewForm,
    RosterImportForm,
)
from .models import Checkin, CheckinItem, Finding
from .roster_import import COLUMNS, RosterHasErrors, UnreadableRoster
from .selectors import (
    checkins_visible_to,
    findings_visible_to,
    is_supervisor_of,
    may_answer_checkin,
    may_reply_finding,
    office_settings_of,
    offices_of_unit,
    offices_supervised_by,
    roster_of,
    unit_agencies,
    week_due_at,
    week_start_of,
    week_statuses,
)

LOGIN_URL = "staff:login"
HISTORY_WEEKS = 52


def _office(request) -> tuple[Agency, list[Agency]]:
    """The office chosen by ``?office=`` among the ones the user supervises (the first by default)."""
    offices = offices_supervised_by(request.user)
    if not offices:
        raise PermissionDenied("您没有政务公开监督岗位（主管部门）")
    named = request.GET.get("office") or request.POST.get("office")
    wanted = id_from(named)
    chosen = next((office for office in offices if office.pk == wanted), None)
    if chosen is None and named and request.method == "POST":
        raise PermissionDenied("您不是该机构的政务公开监督人员")  # a change never falls back to another office
    return chosen or offices[0], offices


def _unit_agencies(user) -> list[Agency]:
    """The agencies whose check-in the user answers."""
    mine = Agency.objects.filter(memberships__user=user).distinct().order_by("full_name")
    return [agency for agency in mine if may_answer_checkin(user, agency)]


# ---------------------------------------------------------------- roster


@login_required(login_url=LOGIN_URL)
def roster(request):
    """The office's units; a user who supervises no office is taken to the unit's check-in instead."""
    if not offices_supervised_by(request.user):
        return redirect("supervision:my_checkins")
    office, offices = _office(request)
    rows = roster_of(office)
    on_gongkai = sum(1 for row in rows if row.agency is not None)
    return render(request, "supervision/roster.html", {
        "office": office, "offices": offices, "rows": rows, "on_gongkai": on_gongkai,
        "outside": len(rows) - on_gongkai})


@login_required(login_url=LOGIN_URL)
def roster_import(request):
    office, offices = _office(request)
    services.require_supervisor(request.user, office)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    row_errors, row_errors_more, status = [], 0, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.roster_import(office=office, acting_user=request.user, data=upload.read())
            except RosterHasErrors as error:
                row_errors, row_errors_more = row_errors_first(error.errors)
                form.add_error(None, f"文件有 {len(error.errors)} 处错误，未导入任何一行。请改正后重新导入。")
            except UnreadableRoster as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, f"已导入「{upload.name}」：{result}")
                return redirect(f"{reverse('supervision:roster')}?office={office.pk}")
    return render(request, "supervision/roster_import.html", {
        "office": office, "offices": offices, "form": form, "row_errors": row_errors, "row_errors_more": row_errors_more,
        "columns": COLUMNS},
        status=status)


# ---------------------------------------------------------------- the office's check-ins


def _week_from(text: str | None, today: date) -> date:
    try:
        return week_start_of(date.fromisoformat((text or "").strip()))
    except ValueError:
        return week_start_of(today)


@login_required(login_url=LOGIN_URL)
def office_checkins(request):
    office, offices = _office(request)
    today = timezone.localdate()
    week = _week_from(request.GET.get("week"), today)
    statuses = week_statuses(office, week)
    counts = {state: sum(1 for s in statuses if s.state == state) for state in ("on_time", "late", "missing", "pending")}
    chosen = office_settings_of(office)
    return render(request, "supervision/office_checkins.html", {
        "office": office, "offices": offices, "week": week, "due_at": week_due_at(office, week),
        "previous_week": week - timedelta(days=7), "next_week": week + timedelta(days=7),
        "statuses": statuses, "counts": counts,
        "items": CheckinItem.objects.filter(office=office),
        "item_form": ItemForm(), "deadline_form": DeadlineForm(initial={"weekday": chosen.weekday,
                                                                        "due_time": chosen.due_time})})


def _back_to_office(office):
    return redirect(f"{reverse('supervision:office_checkins')}?office={office.pk}")


@require_POST
@login_required(login_url=LOGIN_URL)
def item_add(request):
    office, _ = _office(request)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_item_add(office=office, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已添加打卡事项：{form.cleaned_data['text']}")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return _back_to_office(office)


@require_POST
@login_required(login_url=LOGIN_URL)
def item_toggle(request, pk: int):
    office, _ = _office(request)
    item = get_object_or_404(CheckinItem, pk=pk, office=office)
    services.checkin_item_set_active(item=item, acting_user=request.user, active=not item.active)
    messages.success(request, f"已{'启用' if item.active else '停用'}：{item.text}")
    return _back_to_office(office)


@require_POST
@login_required(login_url=LOGIN_URL)
def deadline_set(request):
    office, _ = _office(request)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        chosen = services.checkin_deadline_set(office=office, acting_user=request.user, **form.cleaned_data)
        messages.success(request, f"截止时间已改为每{chosen.get_weekday_display()} {chosen.due_time:%H:%M}")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return _back_to_office(office)


# ---------------------------------------------------------------- the unit's check-in


def _answers_from(form: CheckinForm) -> list[services.AnswerInput]:
    data = form.cleaned_data
    answers = []
    for item in form.items:
        key = f"item_{item.pk}"
        value = data.get(key)
        answers.append(services.AnswerInput(
            item=item, answer=None if value in (None, "") else value == "yes", note=data.get(f"{key}_note", ""),
            publication_ids=tuple(p.pk for p in data.get(f"{key}_publications") or ()),
            application_ids=tuple(a.pk for a in data.get(f"{key}_applications") or ())))
    return answers


@login_required(login_url=LOGIN_URL)
def my_checkins(request):
    """Each unit the user answers for: this week's form per office asking, and the unit's history."""
    today = timezone.localdate()
    week = week_start_of(today)
    units = _unit_agencies(request.user)
    forms_shown, status = [], 200
    posted_unit, posted_office = id_from(request.POST.get("unit")), id_from(request.POST.get("office"))
    for agency in units:
        for office in offices_of_unit(agency):
            done = Checkin.objects.filter(office=office, agency=agency, week_start=week).first()
            items = CheckinItem.objects.filter(office=office, active=True)
            posted = request.method == "POST" and (agency.pk, office.pk) == (posted_unit, posted_office)
            if posted and done:
                messages.error(request, f"{agency.full_name} 本周已报送过周打卡")
                return redirect("supervision:my_checkins")
            form = None if done else CheckinForm(request.POST if posted else None, items=items, agency=agency,
                                                 prefix=f"u{agency.pk}o{office.pk}")
            if posted and form is not None:
                if form.is_valid():
                    try:
                        checkin = services.checkin_submit(office=office, agency=agency, acting_user=request.user,
                                                          answers=_answers_from(form))
                    except ValidationError as error:
                        add_service_errors(form, error)
                    else:
                        late = "（已过截止时间，记为逾期报送）" if checkin.is_late else ""
                        messages.success(request, f"已报送 {agency.full_name} 本周打卡{late}")
                        return redirect("supervision:my_checkins")
                status = 400
            forms_shown.append({"agency": agency, "office": office, "form": form, "done": done,
                                "due_at": week_due_at(office, week)})
    if request.method == "POST" and status == 200:
        raise PermissionDenied("您不能为该单位报送周打卡")
    history = (checkins_visible_to(request.user).filter(agency__in=units)
               .filter(week_start__gte=week - timedelta(weeks=HISTORY_WEEKS)))
    return render(request, "supervision/my_checkins.html", {
        "week": week, "units": units, "forms_shown": forms_shown, "history": history}, status=status)


@login_required(login_url=LOGIN_URL)
def checkin_detail(request, pk: int):
    checkin = get_object_or_404(checkins_visible_to(request.user), pk=pk)
    answers = checkin.answers.prefetch_related("publications", "applications")
    return render(request, "supervision/checkin_detail.html", {"checkin": checkin, "answers": answers})




# ---------------------------------------------------------------- 月巡查 and 整改


def finding_counts(findings, today: date) -> dict[str, int]:
    """How many findings are in each state, and how many open ones are past their deadline."""
    counts = {state: findings.filter(state=state).count() for state in Finding.State.values}
    counts["overdue"] = findings.filter(state__in=Finding.OPEN_STATES, due_on__lt=today).count()
    return counts


def _state_filter(request, findings):
    findings, _described = _month_agency_filter(request, findings)
    state = request.GET.get("state", "")
    if state == "overdue":
        return findings.filter(state__in=Finding.OPEN_STATES, due_on__lt=timezone.localdate()), state
    if state in Finding.State.values:
        return findings.filter(state=state), state
    return findings, ""


@login_required(login_url=LOGIN_URL)
def office_findings(request):
    office, offices = _office(request)
    today = timezone.localdate()
    mine = findings_visible_to(request.user).filter(office=office)
    shown, state = _state_filter(request, mine)
    chosen = office_settings_of(office)
    return render(request, "supervision/office_findings.html", {
        "office": office, "offices": offices, "findings": shown, "state": state, "states": Finding.State.choices,
        "counts": finding_counts(mine, today), "today": today,
        "drilldown": _month_agency_filter(request, mine)[1],
        "manual_form": ManualFindingForm(units=unit_agencies(office)),
        "settings_form": InspectionSettingsForm(initial={"stale_days": chosen.stale_days,
                                                         "rectification_days": chosen.rectification_days})})


def _back_to_findings(office):
    return redirect(f"{reverse('supervision:office_findings')}?office={office.pk}")


@require_POST
@login_required(login_url=LOGIN_URL)
def inspection_run(request):
    office, _ = _office(request)
    run = services.inspection_run(office=office, acting_user=request.user)
    messages.success(request, f"巡查完成：{run}")
    for note in run.notes:
        messages.warning(request, note)
    return _back_to_findings(office)


@require_POST
@login_required(login_url=LOGIN_URL)
def finding_add(request):
    office, _ = _office(request)
    form = ManualFindingForm(request.POST, units=unit_agencies(office))
    if form.is_valid():
        try:
            finding = services.finding_add(office=office, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, f"已交办 {finding.agency.full_name} 整改，期限 {finding.due_on:%Y-%m-%d}")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return _back_to_findings(office)


@require_POST
@login_required(login_url=LOGIN_URL)
def inspection_settings_set(request):
    office, _ = _office(request)
    form = InspectionSettingsForm(request.POST)
    if form.is_valid():
        services.inspection_settings_set(office=office, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "巡查设置已保存")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return _back_to_findings(office)


@login_required(login_url=LOGIN_URL)
def my_findings(request):
    units = _unit_agencies(request.user)
    # and those of a roster unit outside gongkai whose 联络员 account the user is
    mine = findings_visible_to(request.user).filter(Q(agency__in=units) | Q(roster_unit__liaison_user=request.user))
    shown, state = _state_filter(request, mine)
    return render(request, "supervision/my_findings.html", {
        "units": units, "outside": mine.filter(agency__isnull=True).exists(), "findings": shown, "state": state, "states": Finding.State.choices,
        "counts": finding_counts(mine, timezone.localdate()), "today": timezone.localdate()})


@login_required(login_url=LOGIN_URL)
def finding_detail(request, pk: int):
    finding = get_object_or_404(findings_visible_to(request.user), pk=pk)
    may_reply = finding.state in Finding.OPEN_STATES and may_reply_finding(request.user, finding)
    may_review = finding.state == Finding.State.REPLIED and is_supervisor_of(request.user, finding.office)
    reply_form = ReplyForm(agency=finding.agency) if may_reply else None
    review_form = ReviewForm() if may_review else None
    status = 200
    if request.method == "POST":
        if "reply" in request.POST:
            if not may_reply:
                raise PermissionDenied("您不能答复该问题的整改")
            reply_form = ReplyForm(request.POST, agency=finding.agency)
            form = reply_form
        else:
            if not may_review:
                raise PermissionDenied("您不能审核该问题的整改")
            review_form = ReviewForm(request.POST)
            form = review_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is reply_form:
                    services.finding_reply(finding=finding, acting_user=request.user, reply=data["reply"],
                                           publication_ids=tuple(p.pk for p in data["publications"]))
                    messages.success(request, "已答复，等待监督机构审核")
                elif data["decision"] == "accept":
                    services.finding_accept(finding=finding, acting_user=request.user, comment=data["comment"])
                    messages.success(request, "整改通过")
                else:
                    services.finding_return(finding=finding, acting_user=request.user, comment=data["comment"],
                                            due_on=data["due_on"])
                    messages.success(request, "已退回重新整改")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("supervision:finding_detail", pk=finding.pk)
        status = 400
    history = finding.history.select_related("history_user").order_by("history_date", "history_id")
    return render(request, "supervision/finding_detail.html", {
        "finding": finding, "reply_form": reply_form, "review_form": review_form, "history": history,
        "overdue": finding.is_overdue(timezone.localdate()),
        "evidence": finding.reply_publications.all()}, status=status)


def _month_agency_filter(request, findings):
    """The dashboard's links: ``?month=YYYY-MM`` (the inspection's month) and ``?agency=`` narrow the list."""
    described = []
    try:
        month = date.fromisoformat(f"{request.GET.get('month', '').strip()}-01")
    except ValueError:
        month = None
    if month is not None:
        findings = findings.filter(month=month)
        described.append(f"巡查月份：{month:%Y年%-m月}")
    agency_id = id_from(request.GET.get("agency"))
    if agency_id is not None:
        findings = findings.filter(agency_id=agency_id)
        described.append("单位：" + (Agency.objects.filter(pk=agency_id).values_list("full_name", flat=True).first()
                                    or "—"))
    return findings, described


# ---------------------------------------------------------------- 监督首页


@login_required(login_url=LOGIN_URL)
def dashboard(request):
    """The supervisor's home: rates, overdue counts, trends and lights over the office's subtree."""
    office, offices = _office(request)
    agencies = agencies_visible_to(request.user).filter(pk__in=office.subtree_ids() - {office.pk})
    board = dashboards.dashboard_of(office, agencies)
    return render(request, "supervision/dashboard.html", {
        "office": office, "offices": offices, "board": board, "charts": dashboard_charts(board)})


@login_required(login_url=LOGIN_URL)
def checkin_weeks(request):
    """Every unit's check-in status over the weeks in [since, until), by ``?agency=`` and ``?state=``."""
    office, offices = _office(request)
    today = timezone.localdate()
    until = _date_or(request.GET.get("until"), today + timedelta(days=1))
    since = _date_or(request.GET.get("since"), until - timedelta(weeks=4))
    now = timezone.make_aware(datetime.combine(today, time.max))
    pairs = dashboards.checkin_statuses(office, since, until, now)
    ids = set(agencies_visible_to(request.user).values_list("pk", flat=True))
    agency_id = id_from(request.GET.get("agency"))
    pairs = [p for p in pairs if p[1].agency.pk in ids and agency_id in (None, p[1].agency.pk)]
    state = request.GET.get("state", "")
    if state in ("on_time", "late", "missing"):
        pairs = [p for p in pairs if p[1].state == state]
    else:
        state = ""
    return render(request, "supervision/checkin_weeks.html", {
        "office": office, "offices": offices, "since": since, "until": until, "pairs": pairs, "state": state,
        "agency": Agency.objects.filter(pk=agency_id).first() if agency_id else None})


def _date_or(text, default: date) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return default


# ---------------------------------------------------------------- 日提醒


@login_required(login_url=LOGIN_URL)
def office_digest(request):
    """The office's digest: its whole subtree, as far as the gate lets the user see it."""
    office, offices = _office(request)
    agencies = agencies_visible_to(request.user).filter(pk__in=office.subtree_ids())
    return render(request, "supervision/digest.html", {
        "office": office, "offices": offices, "today": timezone.localdate(),
        "sections": digest_of(agencies, offices=[office])})


@login_required(login_url=LOGIN_URL)
def my_digest(request):
    """A unit's own digest: the agencies the user works in (never a subtree), and the offices above them."""
    worked_in = (Membership.objects.filter(user=request.user).exclude(role=Membership.Role.SUPERVISOR)
                 .values("agency_id"))
    units = list(agencies_visible_to(request.user).filter(pk__in=worked_in).order_by("full_name"))
    offices = {office.pk: office for unit in units for office in offices_of_unit(unit)}
    return render(request, "supervision/digest.html", {
        "units": units, "today": timezone.localdate(),
        "sections": digest_of(units, offices=list(offices.values()))})
