"""The pages of the monthly 通报 and the year-end 考核.

Which 通报 a user sees comes from ``bulletins_visible_to``, whose scores from ``may_see_score``;
the services check the 主管部门 role again before any change.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.web.agencies.models import Agency
from gongkai.web.query import id_from

from . import kaohe_services
from .bulletin import COUNTS
from .bulletin_documents import bulletin_context, bulletin_docx, bulletin_pdf
from .kaohe import RATE_LABELS, ranking, rubric_of, unit_score
from .models import Bulletin, Indicator, YearScore
from .selectors import (
    bulletins_visible_to,
    is_supervisor_of,
    may_see_score,
    offices_above,
    unit_agencies,
    units_worked_in,
)
from .views import LOGIN_URL, _office

MIN_YEAR = 2008  # the 条例 took effect on 1 May 2008


def _month_from(text: str | None) -> date | None:
    try:
        year, month = (text or "").strip().split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def _previous_month(today: date) -> date:
    return date(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1, 1)


def _errors(error: ValidationError) -> str:
    return "；".join(error.messages)


# ---------------------------------------------------------------- 通报


@login_required(login_url=LOGIN_URL)
def bulletin_list(request):
    office, offices = _office(request)
    today = timezone.localdate()
    return render(request, "supervision/bulletin_list.html", {
        "office": office, "offices": offices, "bulletins": bulletins_visible_to(request.user).filter(office=office),
        "default_month": f"{_previous_month(today):%Y-%m}", "this_month": f"{today:%Y-%m}"})


@require_POST
@login_required(login_url=LOGIN_URL)
def bulletin_generate(request):
    office, _ = _office(request)
    month = _month_from(request.POST.get("month"))
    if month is None or month.year < MIN_YEAR:
        messages.error(request, "请选择通报月份（如 2026-08）")
        return redirect(f"{reverse('supervision:bulletin_list')}?office={office.pk}")
    try:
        bulletin = kaohe_services.bulletin_generate(office=office, month=month, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(f"{reverse('supervision:bulletin_list')}?office={office.pk}")
    messages.success(request, f"已生成通报草稿：{bulletin.title}")
    return redirect("supervision:bulletin_detail", pk=bulletin.pk)


def _visible_bulletin(request, pk: int) -> Bulletin:
    return get_object_or_404(bulletins_visible_to(request.user), pk=pk)


EDIT_LABELS = {"recipients": "主送", "overview": "一、基本情况", "problems": "二、存在问题",
               "requirements": "三、下一步工作要求"}


@login_required(login_url=LOGIN_URL)
def bulletin_detail(request, pk: int):
    """The HTML preview; for the office's supervisor, while a draft, the paragraphs to edit and the issue button."""
    bulletin = _visible_bulletin(request, pk)
    supervising = is_supervisor_of(request.user, bulletin.office)
    editing = supervising and not bulletin.is_issued
    status, errors = 200, {}
    if request.method == "POST":
        if not editing:
            raise PermissionDenied("通报已印发或您不是该机构的监督人员，不能修改")
        try:
            kaohe_services.bulletin_edit(bulletin=bulletin, acting_user=request.user,
                                         **{key: request.POST.get(key, "") for key in kaohe_services.TEXT_FIELDS})
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(request, "已保存通报文字")
            return redirect("supervision:bulletin_detail", pk=bulletin.pk)
    # Only the office follows the counts to the records: a unit's staff could not open another unit's.
    groups = [(unit["name"], label, unit["records"][key]) for unit in bulletin.figures["units"]
              for key, label in COUNTS if unit["records"][key]] if supervising else []
    fields = [(key, EDIT_LABELS[key], request.POST.get(key, "") if errors else getattr(bulletin, key),
               errors.get(key, [])) for key in kaohe_services.TEXT_FIELDS]
    return render(request, "supervision/bulletin_detail.html", {
        **bulletin_context(bulletin), "office": bulletin.office, "offices": [bulletin.office], "editing": editing,
        "supervising": supervising, "record_groups": groups, "edit_fields": fields}, status=status)


@require_POST
@login_required(login_url=LOGIN_URL)
def bulletin_issue(request, pk: int):
    bulletin = _visible_bulletin(request, pk)
    try:
        kaohe_services.bulletin_issue(bulletin=bulletin, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "通报已印发，各单位可以查看")
    return redirect("supervision:bulletin_detail", pk=bulletin.pk)


@require_POST
@login_required(login_url=LOGIN_URL)
def bulletin_regenerate(request, pk: int):
    bulletin = _visible_bulletin(request, pk)
    try:
        kaohe_services.bulletin_generate(office=bulletin.office, month=bulletin.month, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "已按当前记录重新生成（文字恢复为默认）")
    return redirect("supervision:bulletin_detail", pk=bulletin.pk)


DOWNLOADS = {
    "docx": (bulletin_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (bulletin_pdf, "application/pdf"),
}


@login_required(login_url=LOGIN_URL)
def bulletin_download(request, pk: int, fmt: str):
    bulletin = _visible_bulletin(request, pk)
    if fmt not in DOWNLOADS:
        raise Http404("没有这种格式")
    write, content_type = DOWNLOADS[fmt]
    response = HttpResponse(write(bulletin), content_type=content_type)
    name = f"{bulletin.title}{'（草稿）' if not bulletin.is_issued else ''}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required(login_url=LOGIN_URL)
def my_bulletins(request):
    """The issued 通报 of the offices above the units the user works in."""
    units = list(units_worked_in(request.user))
    above = {office.pk for unit in units for office in offices_above(unit)}
    return render(request, "supervision/my_bulletins.html", {
        "units": units, "bulletins": bulletins_visible_to(request.user).filter(
            office_id__in=above, state=Bulletin.State.ISSUED)})


# ---------------------------------------------------------------- 考核


def _year_from(request, today: date) -> int:
    wanted = id_from(request.GET.get("year") or request.POST.get("year"))
    return wanted if wanted and MIN_YEAR <= wanted <= today.year else today.year


def _frozen(office: Agency, year: int) -> dict[int, YearScore]:
    return {score.agency_id: score for score in YearScore.objects.filter(office=office, year=year)
            .select_related("finalised_by")}


@login_required(login_url=LOGIN_URL)
def kaohe_ranking(request):
    office, offices = _office(request)
    today = timezone.localdate()
    year = _year_from(request, today)
    frozen = _frozen(office, year)
    rows = ([score.evidence for score in sorted(frozen.values(), key=lambda s: (-s.total, s.agency.full_name))]
            if frozen else [score.as_json() for score in ranking(office, year, today=today)])
    return render(request, "supervision/kaohe_ranking.html", {
        "office": office, "offices": offices, "year": year, "rows": rows, "finalised": bool(frozen),
        "finalised_at": next(iter(frozen.values())).finalised_at if frozen else None,
        "indicators": rubric_of(office, acting_user=request.user), "rate_labels": RATE_LABELS,
        "may_finalise": not frozen and today > date(year, 12, 31),
        "years": list(range(today.year, max(MIN_YEAR, today.year - 5) - 1, -1))})


@login_required(login_url=LOGIN_URL)
def kaohe_unit(request, office_pk: int, agency_pk: int):
    """One unit's score of a year, each deduction with the records behind it (frozen once finalised)."""
    office = get_object_or_404(Agency, pk=office_pk)
    agency = get_object_or_404(Agency, pk=agency_pk)
    if not may_see_score(request.user, office, agency):
        raise Http404("没有这项考核")
    today = timezone.localdate()
    year = _year_from(request, today)
    frozen = YearScore.objects.filter(office=office, agency=agency, year=year).first()
    if frozen is None and not Indicator.objects.filter(office=office).exists():
        raise Http404("该机构尚未设置考核指标")
    score = frozen.evidence if frozen else unit_score(office, agency, year, today=today).as_json()
    supervising = is_supervisor_of(request.user, office)
    if not supervising:  # a unit follows a missed week to its own check-ins, not to the office's list
        mine = reverse("supervision:my_checkins")
        score = {**score, "indicators": [
            {**i, "evidence": [{**e, "url": mine} if e["record"].startswith("week:") else e for e in i["evidence"]]}
            for i in score["indicators"]]}
    return render(request, "supervision/kaohe_unit.html", {
        "office": office, "agency": agency, "year": year, "score": score, "frozen": frozen,
        "supervising": supervising, "rate_labels": RATE_LABELS,
        "offices": [office]})


@login_required(login_url=LOGIN_URL)
def kaohe_rubric(request):
    office, offices = _office(request)
    indicators = rubric_of(office, acting_user=request.user)
    errors, status = {}, 200
    if request.method == "POST":
        rows = [kaohe_services.IndicatorInput(i, request.POST.get(f"i{i.pk}_name", ""),
                                              request.POST.get(f"i{i.pk}_points", ""),
                                              request.POST.get(f"i{i.pk}_deduction", "")) for i in indicators]
        try:
            kaohe_services.rubric_edit(office=office, acting_user=request.user, rows=rows)
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(request, "考核指标已保存，得分按新指标重新计算")
            return redirect(f"{reverse('supervision:kaohe_ranking')}?office={office.pk}")
    return render(request, "supervision/kaohe_rubric.html", {
        "office": office, "offices": offices, "indicators": indicators, "errors": errors,
        "posted": request.POST if request.method == "POST" else None}, status=status)


@require_POST
@login_required(login_url=LOGIN_URL)
def kaohe_finalise(request):
    office, _ = _office(request)
    year = _year_from(request, timezone.localdate())
    try:
        scores = kaohe_services.scores_finalise(office=office, year=year, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"{year}年度考核已定稿（{len(scores)}个单位），得分不再随记录变化")
    return redirect(f"{reverse('supervision:kaohe_ranking')}?office={office.pk}&year={year}")


@login_required(login_url=LOGIN_URL)
def my_kaohe(request):
    """The user's units and the offices above them that score them: links to each score of this year and last."""
    today = timezone.localdate()
    entries = []
    for unit in units_worked_in(request.user):
        for office in offices_above(unit):
            if unit.pk in {a.pk for a in unit_agencies(office)} and Indicator.objects.filter(office=office).exists():
                entries.append({"unit": unit, "office": office, "years": [today.year, today.year - 1]})
    return render(request, "supervision/my_kaohe.html", {"entries": entries})
