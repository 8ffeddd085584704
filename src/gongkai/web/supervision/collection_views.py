"""The 年度报告报送 pages: the office's year, a unit's filings, one filing (review, publish), downloads.

Which filings a user sees comes from ``collection.filings_visible_to`` (the one gate: another
office's filing is a 404, and so is its download); the services check the roles again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.report import taxonomy as tx
from gongkai.report.checks import check_report
from gongkai.report.model import AnnualReport
from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.query import id_from
from gongkai.web.staff.service_forms import add_service_errors

from . import batch
from . import filing as services
from .collection import (
    STATES,
    collection_counts,
    collection_of,
    compare_totals,
    filing_of_year,
    filing_report,
    filings_visible_to,
    may_file,
    previous_filing,
    record_of_year,
    statutory_date,
    units_filed_by,
)
from .forms import FilingForm, FilingReviewForm
from .models import ReportFiling, RosterUnit
from .rollup_views import year_from as asked_year
from .selectors import is_supervisor_of
from .services import require_supervisor
from .views import LOGIN_URL, _office

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def year_from(request) -> int:
    """``?year=`` within the years gongkai reads (default: last year, the one being collected)."""
    return asked_year(request.GET.get("year") or request.POST.get("year"))


def _years():
    this_year = timezone.localdate().year
    return range(this_year, tx.FIRST_YEAR_OF_2019_FORMAT - 1, -1)


@login_required(login_url=LOGIN_URL)
def collection(request):
    """The office's year: each unit's report state, its filing date against 1月31日, the on-time rate."""
    office, offices = _office(request)
    year = year_from(request)
    rows = collection_of(office, year, user=request.user)
    counts = collection_counts(rows)
    return render(request, "supervision/collection.html", {
        "office": office, "offices": offices, "year": year, "years": _years(), "rows": rows, "counts": counts,
        "state_counts": [(key, label, counts.by_state[key]) for key, label in STATES], "due": statutory_date(year)})


def _filed_file(form: FilingForm) -> services.FiledFile:
    upload = form.cleaned_data.get("file")
    if upload:
        return services.FiledFile(upload.name, upload.read())
    return services.fetched(form.cleaned_data["url"])


@login_required(login_url=LOGIN_URL)
def filing_new(request, unit_pk: int):
    """File a unit's report of a year (the unit's 联络员, or the office on its behalf)."""
    unit = get_object_or_404(RosterUnit.objects.select_related("office"), pk=unit_pk, agency=None)
    if not may_file(request.user, unit):
        raise Http404("没有这个单位")
    year = year_from(request)
    form = FilingForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                filing = services.filing_submit(unit=unit, year=year, acting_user=request.user,
                                                file=_filed_file(form))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                errors = sum(i["severity"] == "error" for i in filing.report.get("issues") or [])
                messages.success(request, f"已报送 {unit.name} {year}年度报告第{filing.version}版"
                                          f"（检查发现 {errors} 处错误）")
                return redirect("supervision:filing_detail", pk=filing.pk)
    versions = filings_visible_to(request.user).filter(unit=unit, year=year).defer("content").order_by("-version")
    return render(request, "supervision/filing_new.html", {
        "unit": unit, "year": year, "years": _years(), "form": form, "versions": versions,
        "action": f"{reverse('supervision:filing_new', args=[unit.pk])}?year={year}",
        "due": statutory_date(year)}, status=status)


def _issues(report: AnnualReport) -> list[dict]:
    order = {"error": 0, "warning": 1, "info": 2}
    return [{"severity": SEVERITY_LABELS.get(i.severity, i.severity), "level": i.severity, "text": i.text,
             "rule": i.rule} for i in sorted(report.issues, key=lambda i: order.get(i.severity, 3))]


@login_required(login_url=LOGIN_URL)
def filing_detail(request, pk: int):
    filing = get_object_or_404(filings_visible_to(request.user).defer("content"), pk=pk)
    may_review = filing.state == ReportFiling.State.FILED and is_supervisor_of(request.user, filing.unit.office)
    may_publish = filing.state in (ReportFiling.State.PASSED, ReportFiling.State.PUBLISHED) and \
        may_file(request.user, filing.unit)
    review_form = FilingReviewForm(prefix="review") if may_review else None
    publish_form = FilingForm(prefix="publish") if may_publish else None
    status = 200
    if request.method == "POST":
        status = 400
        if "review-decision" in request.POST or "review-comment" in request.POST:
            if not may_review:
                raise PermissionDenied("您不能审核该年度报告")
            review_form = form = FilingReviewForm(request.POST, prefix="review")
        else:
            if not may_publish:
                raise PermissionDenied("您不能登记该年度报告的发布")
            publish_form = form = FilingForm(request.POST, request.FILES, prefix="publish")
        if form.is_valid():
            try:
                if form is publish_form:
                    filing = services.filing_publish(filing=filing, acting_user=request.user,
                                                     file=_filed_file(form))
                    if filing.published_matches:
                        messages.success(request, "已登记发布：发布的文件与审核通过的版本一致")
                    else:
                        messages.error(request, "已登记发布，但发布的文件与审核通过的版本不一致（SHA-256 不同）")
                elif form.cleaned_data["decision"] == "pass":
                    services.filing_pass(filing=filing, acting_user=request.user,
                                         comment=form.cleaned_data["comment"])
                    messages.success(request, "审核通过")
                else:
                    services.filing_return(filing=filing, acting_user=request.user,
                                           comment=form.cleaned_data["comment"])
                    messages.success(request, "已退回，等待单位修改后重新报送")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("supervision:filing_detail", pk=filing.pk)
    report = filing_report(filing)
    previous = previous_filing(filing.unit, filing.year)
    versions = filings_visible_to(request.user).filter(unit=filing.unit, year=filing.year).defer("content") \
        .order_by("-version")
    latest = versions.first()
    may_refile = latest == filing and filing.state == ReportFiling.State.RETURNED and may_file(request.user,
                                                                                             filing.unit)
    return render(request, "supervision/filing_detail.html", {
        "filing": filing, "issues": _issues(report), "report": report, "previous": previous,
        "compared": compare_totals(report, filing_report(previous) if previous else None),
        "versions": versions, "review_form": review_form, "publish_form": publish_form,
        "may_refile": may_refile, "due": statutory_date(filing.year),
        "history": filing.history.select_related("history_user").order_by("history_date", "history_id")},
        status=status)


@login_required(login_url=LOGIN_URL)
def filing_download(request, pk: int):
    """The filed file, byte for byte, through the same gate as the page."""
    filing = get_object_or_404(filings_visible_to(request.user), pk=pk)
    response = HttpResponse(bytes(filing.content), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, filing.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required(login_url=LOGIN_URL)
def my_filings(request):
    """The units the user is 联络员 of (not on gongkai): each year's filings and the form to file."""
    units = list(units_filed_by(request.user))
    year = year_from(request)
    filings = {}
    for filing in (filings_visible_to(request.user).filter(unit__in=units).defer("content")
                   .order_by("-year", "-version")):
        filings.setdefault(filing.unit_id, []).append(filing)
    shown = [{"unit": unit, "filings": filings.get(unit.pk, [])} for unit in units]
    return render(request, "supervision/my_filings.html", {"shown": shown, "year": year, "years": _years(),
                                                           "due": statutory_date(year)})



@login_required(login_url=LOGIN_URL)
def compare(request):
    """One unit's report of a year beside last year's: table 三 and 四 totals, and the checks between them."""
    year = year_from(request)
    agency_pk, unit_pk = id_from(request.GET.get("agency")), id_from(request.GET.get("unit"))
    reports, links = {}, {}
    if unit_pk is not None:
        unit = get_object_or_404(RosterUnit.objects.select_related("office", "agency"), pk=unit_pk)
        if unit.agency is not None:
            agency_pk = unit.agency_id
        elif not (is_supervisor_of(request.user, unit.office) or unit.liaison_user_id == request.user.pk):
            raise Http404("没有这个单位")
        else:
            name = unit.name
            for y in (year - 1, year):
                filing = filing_of_year(unit, y)
                if filing is not None:
                    reports[y] = filing_report(filing)
                    links[y] = reverse("supervision:filing_detail", args=[filing.pk])
    if agency_pk is not None:
        agency = get_object_or_404(agencies_visible_to(request.user), pk=agency_pk)
        name = agency.full_name
        for y in (year - 1, year):
            record = record_of_year(agency, y)
            if record is not None:
                reports[y] = AnnualReport.from_json(record.snapshot)
                links[y] = reverse("staff:annual_detail", args=[record.pk])
    elif unit_pk is None:
        raise Http404("请指定单位")
    current, previous = reports.get(year), reports.get(year - 1)
    between = []
    if current is not None and previous is not None:
        current.issues = []
        between = [issue.text for issue in check_report(current, previous=previous) if issue.rule.startswith("previous.")]
    return render(request, "supervision/compare.html", {
        "name": name, "year": year, "years": _years(), "current": current, "previous": previous,
        "links": {"current": links.get(year), "previous": links.get(year - 1)}, "between": between,
        "compared": compare_totals(current, previous) if current is not None else [],
        "compare_year": year, "compare_previous_year": year - 1, "query": request.GET.urlencode()})


@login_required(login_url=LOGIN_URL)
def batch_upload(request):
    """Many units' files at once: read and match them, show the matches, store all of them on confirm."""
    office, offices = _office(request)
    require_supervisor(request.user, office)
    year = year_from(request)
    units = RosterUnit.objects.filter(office=office, agency=None).order_by("name")
    context = {"office": office, "offices": offices, "year": year, "years": _years(), "units": units,
               "errors": [], "files": None, "token": ""}
    status = 200
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        choices = {}
        try:
            names = batch.batch_manifest(token, request.user)["names"]
            by_pk = {unit.pk: unit for unit in units}
            for index in range(len(names)):
                chosen = id_from(request.POST.get(f"unit-{index}"))
                choices[index] = by_pk.get(chosen) if chosen else None
            stored = batch.batch_store(token=token, office=office, acting_user=request.user, choices=choices)
        except ValidationError as error:
            context["errors"] = error.messages
            status = 400
        else:
            messages.success(request, f"已为 {stored} 个单位报送{year}年度报告")
            return redirect(f"{reverse('supervision:collection')}?office={office.pk}&year={year}")
    elif request.method == "POST":
        uploads = [(upload.name, upload.read()) for upload in request.FILES.getlist("files")]
        status = 400
        if not uploads:
            context["errors"] = ["请选择文件"]
        else:
            try:
                context["token"], context["files"] = batch.batch_read(office=office, year=year,
                                                                      acting_user=request.user, uploads=uploads)
            except batch.BatchError as error:
                context["errors"] = [error.message]
            else:
                status = 200
    return render(request, "supervision/batch_upload.html", context, status=status)
