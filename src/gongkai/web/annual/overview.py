"""Section 一 (总体情况) drafted from the year's real figures, for staff to edit.

The numbers come from the same places as the tables (``annual_build``) and from the
publications released in the year, so a fresh draft never disagrees with tables 二、三、四
(and passes the text checks of ``gongkai.report.checks``).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from gongkai.report.model import AnnualReport
from gongkai.web.agencies.models import Agency
from gongkai.web.disclosure.models import DISCLOSURE_WORKING_DAYS, Genre, Publication

from .build import annual_report


def publications_of_year(agency: Agency, year: int):
    """The agency's publications released (and still public) within ``year``."""
    return Publication.objects.filter(agency=agency, state=Publication.State.PUBLISHED,
                                      published_on__range=(date(year, 1, 1), date(year, 12, 31)))


def _proactive_paragraph(agency: Agency, year: int, report: AnnualReport) -> str:
    publications = publications_of_year(agency, year)
    by_genre = {row["genre"]: row["n"] for row in publications.order_by().values("genre").annotate(n=Count("pk"))}
    total = sum(by_genre.values())
    text = f"（一）主动公开。{year}年，本机关主动公开政府信息{total}条"
    parts = [f"{label}{by_genre[value]}条" for value, label in Genre.choices if by_genre.get(value)]
    text += f"，其中{'，'.join(parts)}。" if parts else "。"
    if report.format == "2021":
        rules, documents = report.proactive.get("rules") or {}, report.proactive.get("normative_documents") or {}
        text += (f"本年制发规章{rules.get('issued', 0)}件、行政规范性文件{documents.get('issued', 0)}件，"
                 f"废止规章{rules.get('repealed', 0)}件、行政规范性文件{documents.get('repealed', 0)}件；"
                 f"年末现行有效规章{rules.get('in_force', 0)}件、行政规范性文件{documents.get('in_force', 0)}件。")
    unknown = [p for p in publications if p.disclosure_due_on() is None]  # no holiday schedule for that year
    late = sum(1 for p in publications if p.disclosure_due_on() is not None and p.is_late())
    if total:
        text += f"超过条例第二十六条规定的{DISCLOSURE_WORKING_DAYS}个工作日期限公开的{late}条"
        text += f"（另有{len(unknown)}条缺少节假日安排，未能计算期限）。" if unknown else "。"
    return text


def _applications_paragraph(report: AnnualReport) -> str:
    def total(row: str) -> int:
        return (report.applications.get(row) or {}).get("total") or 0

    return (f"（二）依申请公开。本年新收政府信息公开申请{total('new')}件，上年结转{total('carried_over')}件；"
            f"本年度办结{total('total')}件，其中予以公开{total('granted')}件、部分公开{total('partially_granted')}件；"
            f"结转下年度继续办理{total('carried_forward')}件。")


def _appeals_paragraph(report: AnnualReport) -> str:
    def total(block: str) -> int:
        return (report.appeals.get(block) or {}).get("total") or 0

    litigation = total("litigation_direct") + total("litigation_after_review")
    return (f"（三）行政复议和行政诉讼。本年度因政府信息公开工作被申请行政复议{total('review')}件，"
            f"被提起行政诉讼{litigation}件。")


def overview_draft(agency: Agency, year: int, *, report: AnnualReport | None = None) -> str:
    """Chinese text of section 一 with the year's figures; ``report`` saves building the tables twice."""
    report = report or annual_report(agency, year)
    return "\n".join([
        _proactive_paragraph(agency, year, report),
        _applications_paragraph(report),
        _appeals_paragraph(report),
    ])
