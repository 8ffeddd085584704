"""The filters behind the dashboard's links: the case and publication lists keep exactly the records a
dashboard figure counts, by asking the same functions (``digest.digest_of``, ``dashboard.answered_*``).

``?office=`` names the supervising office (its subtree, within what the gate lets the user see),
``?agency=`` one unit of it; ``?digest=<section>`` keeps the records of that section of today's digest;
``?answered_from=&answered_until=`` the cases answered in [from, until), ``?timing=late|on_time|unknown``
among them.  Unknown or malformed values are ignored (the list is then not narrowed by them) and the
filters applied are described in Chinese above the list.
"""

from __future__ import annotations

from datetime import date

from gongkai.web.agencies.models import Agency
from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.query import id_from

from . import dashboard
from .digest import digest_of

TIMINGS = {"late": "逾期答复", "on_time": "按时答复", "unknown": "无法计算期限"}


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _scope(request):
    """(office, agencies in scope, descriptions) from ``office`` and ``agency``; (None, None, []) without an office."""
    office = Agency.objects.filter(pk=id_from(request.GET.get("office"))).first()
    if office is None:
        return None, None, []
    agencies = agencies_visible_to(request.user).filter(pk__in=office.subtree_ids())
    described = [f"监督机构：{office.full_name}"]
    agency_id = id_from(request.GET.get("agency"))
    if agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
        unit = agencies.first()
        described.append(f"单位：{unit.full_name if unit else '（无权查看）'}")
    return office, list(agencies.order_by("pk")), described


def _digest_ids(office, agencies, key: str) -> tuple[set[int], str] | None:
    for section in digest_of(agencies, offices=[office]):
        if section.key == key:
            return {item.record.pk for item in section.items}, section.title
    return None


def cases_drilldown(request, cases):
    """``cases`` narrowed by the dashboard's filters, and the Chinese description of them."""
    office, agencies, described = _scope(request)
    if office is None:
        return cases, []
    cases = cases.filter(agency__in=agencies)
    key = request.GET.get("digest", "")
    if key and key != "publication_late" and (found := _digest_ids(office, agencies, key)) is not None:
        ids, title = found
        cases = cases.filter(pk__in=ids)
        described.append(f"今日日提醒：{title}")
    since, until = _date(request.GET.get("answered_from")), _date(request.GET.get("answered_until"))
    if since and until:
        answered = dashboard.answered_cases([a.pk for a in agencies], since, until)
        cases = cases.filter(pk__in=answered.values("pk"))
        described.append(f"答复日期 {since:%Y-%m-%d} 至 {until:%Y-%m-%d} 前（已送达或归档）")
        timing = request.GET.get("timing", "")
        if timing in TIMINGS:
            late, unknown = dashboard.answered_late_ids(answered), dashboard.answered_unknown_ids(answered)
            if timing == "late":
                cases = cases.filter(pk__in=late)
            elif timing == "unknown":
                cases = cases.filter(pk__in=unknown)
            else:
                cases = cases.exclude(pk__in=late | unknown)
            described.append(TIMINGS[timing])
    return cases, described


def publications_drilldown(request, publications):
    office, agencies, described = _scope(request)
    if office is None:
        return publications, []
    publications = publications.filter(agency__in=agencies)
    if request.GET.get("digest") == "publication_late":
        ids, title = _digest_ids(office, agencies, "publication_late")
        publications = publications.filter(pk__in=ids)
        described.append(f"今日日提醒：{title}")
    return publications, described
