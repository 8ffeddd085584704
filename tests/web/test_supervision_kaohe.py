"""年度考核: the rubric, each deduction linked to exactly the records behind it (plain queries), the floor at
0, the ranking with each rate's case count, a finalised score frozen, and who sees which score."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.web.supervision_records import OVERVIEW, annual_report, appeal, application, checkin, checkin_item, finding

from gongkai.web.agencies.models import Membership
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Application
from gongkai.web.supervision.kaohe import DEFAULT_RUBRIC, Rate, ranking, rubric_of, unit_score
from gongkai.web.supervision.kaohe_services import IndicatorInput, rubric_edit, scores_finalise
from gongkai.web.supervision.models import Checkin, Finding, Indicator, YearScore
from gongkai.web.supervision.selectors import week_due_at

TODAY = date(2026, 9, 15)
SINCE = date(2026, 8, 1)  # the office began the weekly check-in then
# Weeks of 2026 since the week of 8-1 whose deadline (Friday 17:00) has passed on 9-15.
WEEKS = [date(2026, 7, 27) + timedelta(weeks=n) for n in range(7)]


@pytest.fixture
def year(world):
    checkin_item(world, SINCE)
    for week in WEEKS[:4]:
        checkin(world, world.street, week)
    for week in WEEKS[1:]:
        checkin(world, world.other_street, week)
    late = application(world, world.street, date(2026, 3, 2), closed_on=date(2026, 5, 29))
    application(world, world.street, date(2026, 4, 1), closed_on=date(2026, 4, 10))
    application(world, world.street, date(2026, 6, 1))  # unanswered past its due date
    application(world, world.street, date(2026, 9, 14))  # still running: not yet judged
    application(world, world.street, date(2025, 6, 1))  # last year's
    application(world, world.other_street, date(2026, 7, 1), closed_on=date(2026, 7, 10))
    appeal(world.street, decided_on=date(2026, 5, 10), result="corrected")
    appeal(world.street, decided_on=date(2026, 6, 10), result="upheld")
    appeal(world.street, decided_on=date(2025, 11, 10), result="corrected")
    appeal(world.other_street, decided_on=None, result="pending")
    finding(world, world.street, month=date(2026, 8, 1), due_on=date(2026, 8, 20))  # still open
    finding(world, world.street, month=date(2026, 7, 1), due_on=date(2026, 7, 10), state=Finding.State.ACCEPTED,
            replied_on=date(2026, 7, 5), reviewed_on=date(2026, 7, 8))
    finding(world, world.street, month=date(2026, 7, 1), due_on=date(2026, 7, 10), state=Finding.State.ACCEPTED,
            replied_on=date(2026, 7, 15), reviewed_on=date(2026, 7, 16))  # replied late
    finding(world, world.street, month=date(2026, 9, 1), due_on=date(2026, 9, 30))  # its deadline is to come
    annual_report(world.street, 2025, published_on=date(2026, 2, 10), overview=OVERVIEW[::-1])  # after 1月31日
    annual_report(world.street, 2024, published_on=date(2025, 1, 20), overview=OVERVIEW[1::2] + OVERVIEW[::2])
    annual_report(world.other_street, 2025, published_on=date(2026, 1, 20))
    annual_report(world.other_street, 2024, published_on=date(2025, 1, 20), overview=OVERVIEW)  # repeated in 2025
    assert late.is_overdue(TODAY)
    return world


def plain_records(world, agency) -> dict[str, set[str]]:
    """The records behind each defect, by plain queries (the oracle of the 考核)."""
    received = Application.objects.filter(agency=agency, received_on__gte=date(2026, 1, 1), received_on__lte=TODAY)
    overdue = set()
    for case in received:
        due = case.reply_deadline(today=TODAY).due
        if (case.closed_on or TODAY) > due:  # answered late, or unanswered past the due date
            overdue.add(f"application:{case.pk}")
    corrected = Appeal.objects.filter(agency=agency, result="corrected", decided_on__gte=date(2026, 1, 1))
    report = AnnualReportRecord.objects.filter(agency=agency, year=2025, state="published").first()
    late_report = {f"annual:{report.pk}"} if report.published_at.date() > date(2026, 1, 31) else set()
    done = set(Checkin.objects.filter(office=world.district, agency=agency).values_list("week_start", flat=True))
    findings = Finding.objects.filter(office=world.district, agency=agency, due_on__lt=TODAY)
    late_findings = {f"finding:{f.pk}" for f in findings
                     if f.state in ("assigned", "returned") or f.replied_at.date() > f.due_on}
    return {"overdue_application": overdue, "appeal_corrected": {f"appeal:{pk}" for pk in corrected.values_list("pk", flat=True)},
            "annual_report_late": late_report, "checkin_missing": {f"week:{w}" for w in WEEKS if w not in done},
            "finding_late": late_findings}


def evidence_of(score) -> dict[str, set[str]]:
    return {i.defect: {e.record for e in i.evidence} for i in score.indicators}


def test_the_default_rubric_is_seeded_once_and_adds_up_to_100(world):
    rubric = rubric_of(world.district)
    assert [(i.name, i.defect, i.points, i.deduction) for i in rubric] == [
        (name, defect, Decimal(points), Decimal(deduction)) for name, defect, points, deduction in DEFAULT_RUBRIC]
    assert sum(i.points for i in rubric) == 100
    rubric_of(world.district)
    assert Indicator.objects.filter(office=world.district).count() == len(DEFAULT_RUBRIC)


def test_each_deduction_links_to_exactly_the_records_behind_it(year):
    assert week_due_at(year.district, WEEKS[-1]).date() < TODAY < week_due_at(year.district, WEEKS[-1] + timedelta(weeks=1)).date()
    for agency in (year.street, year.other_street):
        score = unit_score(year.district, agency, 2026)
        found = evidence_of(score)
        expected = plain_records(year, agency)
        for defect, records in expected.items():
            assert found[defect] == records, (agency.full_name, defect)
        similar = found["annual_report_similar"]
        report = AnnualReportRecord.objects.get(agency=agency, year=2025)
        assert similar == ({f"annual:{report.pk}"} if agency == year.other_street else set())
    east = evidence_of(unit_score(year.district, year.street, 2026))
    assert {k: len(v) for k, v in east.items()} == {"overdue_application": 2, "appeal_corrected": 1,
                                                    "annual_report_late": 1, "annual_report_similar": 0,
                                                    "checkin_missing": 3, "finding_late": 2}


def test_scores_are_points_less_deductions_floored_at_0(year):
    east = unit_score(year.district, year.street, 2026)
    scores = {i.defect: i.score for i in east.indicators}
    assert scores == {"overdue_application": 20 - 2 * 6, "appeal_corrected": 15 - 3, "annual_report_late": 10 - 5,
                      "annual_report_similar": 10, "checkin_missing": 20 - 3 * 2, "finding_late": 25 - 2 * 2}
    assert east.total == sum(scores.values()) == Decimal(70)
    rubric = rubric_of(year.district)
    rubric_edit(office=year.district, acting_user=year.supervisor,
                rows=[IndicatorInput(i, i.name, str(i.points), "15" if i.defect == "overdue_application" else str(i.deduction))
                      for i in rubric])
    again = unit_score(year.district, year.street, 2026)
    assert next(i for i in again.indicators if i.defect == "overdue_application").score == 0  # 2 × 15 > 20


def test_the_ranking_shows_each_rate_with_its_case_count(year):
    rows = ranking(year.district, 2026)
    assert [row.agency for row in rows] == [year.other_street, year.street]  # 20+15+10+5+18+25 = 93 over 70
    east = rows[1]
    judged = [a for a in Application.objects.filter(agency=year.street, received_on__year=2026)
              if a.closed_on is not None or a.is_overdue(TODAY)]
    assert len(judged) == 3
    assert str(east.rates["applications"]) == "33.3%（1/3件）"
    assert str(east.rates["checkins"]) == "57.1%（4/7周）"
    assert str(east.rates["findings"]) == "33.3%（1/3件）"
    assert str(Rate(0, 0, "件")) == "—（0/0件）"  # nothing to count: no rate, never 100%

    office = Client()
    office.force_login(year.supervisor)
    page = office.get(reverse("supervision:kaohe_ranking"), {"office": year.district.pk, "year": 2026}).content.decode()
    assert "33.3%（1/3件）" in page and "100.0%（1/1件）" in page
    detail = office.get(reverse("supervision:kaohe_unit", args=[year.district.pk, year.street.pk]), {"year": 2026})
    case = Application.objects.get(agency=year.street, received_on=date(2026, 6, 1))
    assert reverse("staff:case_detail", args=[case.pk]) in detail.content.decode()


def test_rubric_edits_are_checked_all_or_nothing(year):
    rubric = rubric_of(year.district)
    rows = [IndicatorInput(i, i.name, "-1" if n == 0 else "30", str(i.deduction)) for n, i in enumerate(rubric)]
    with pytest.raises(ValidationError) as refused:
        rubric_edit(office=year.district, acting_user=year.supervisor, rows=rows)
    assert "分值应在 0—1000 之间" in str(refused.value)
    assert [i.points for i in rubric_of(year.district)] == [Decimal(p) for _, _, p, _ in DEFAULT_RUBRIC]
    with pytest.raises(PermissionDenied):
        rubric_edit(office=year.district, acting_user=year.users["agency_admin"], rows=[])
    office = Client()
    office.force_login(year.supervisor)
    data = {"office": year.district.pk}
    for n, indicator in enumerate(rubric):
        data |= {f"i{indicator.pk}_name": indicator.name, f"i{indicator.pk}_points": "abc" if n == 0 else "10",
                 f"i{indicator.pk}_deduction": "1"}
    page = office.post(f"{reverse('supervision:kaohe_rubric')}?office={year.district.pk}", data)
    assert page.status_code == 400 and "分值应为数字" in page.content.decode()


def test_a_finalised_score_is_frozen(year):
    with pytest.raises(ValidationError, match="尚未结束"):
        scores_finalise(office=year.district, year=2026, acting_user=year.supervisor)
    finalised = scores_finalise(office=year.district, year=2026, acting_user=year.supervisor, today=date(2027, 1, 5))
    east = next(s for s in finalised if s.agency == year.street)
    frozen = east.evidence
    judged_at_year_end = unit_score(year.district, year.street, 2026, today=date(2027, 1, 5))
    assert frozen == judged_at_year_end.as_json() and frozen["as_of"] == "2026-12-31"
    assert east.total == judged_at_year_end.total < 70  # by 12-31 more applications and weeks have lapsed
    Appeal.objects.filter(agency=year.street).update(result="upheld")  # the records change …
    assert unit_score(year.district, year.street, 2026, today=date(2027, 1, 5)).total > east.total
    east.refresh_from_db()
    assert east.evidence == frozen  # … the finalised score does not
    office = Client()
    office.force_login(year.supervisor)
    page = office.get(reverse("supervision:kaohe_unit", args=[year.district.pk, year.street.pk]), {"year": 2026})
    assert "已定稿" in page.content.decode() and f">{east.total}<" in page.content.decode()
    with pytest.raises(ValidationError, match="已定稿"):
        scores_finalise(office=year.district, year=2026, acting_user=year.supervisor, today=date(2027, 1, 5))
    assert YearScore.objects.filter(office=year.district, year=2026).count() == 2


def test_a_unit_sees_its_own_score_and_evidence_only(year):
    rubric_of(year.district)
    own = reverse("supervision:kaohe_unit", args=[year.district.pk, year.street.pk])
    other = reverse("supervision:kaohe_unit", args=[year.district.pk, year.other_street.pk])
    unit = Client()
    unit.force_login(year.users["handler"])
    page = unit.get(own, {"year": 2026})
    assert page.status_code == 200 and "依申请公开按期答复" in page.content.decode()
    assert unit.get(other, {"year": 2026}).status_code == 404
    assert unit.get(reverse("supervision:kaohe_ranking")).status_code == 403
    assert own in unit.get(reverse("supervision:my_kaohe")).content.decode()
    assert f'href="{reverse("supervision:my_checkins")}"' in page.content.decode()  # a missed week: its own check-ins
    assert unit.post(reverse("supervision:kaohe_finalise"), {"office": year.district.pk, "year": 2025}).status_code == 403

    elsewhere = AgencyFactory(full_name="别区人民政府")
    stranger = Client()
    stranger.force_login(MembershipFactory(user=UserFactory(username="other_supervisor"), agency=elsewhere,
                                           role=Membership.Role.SUPERVISOR).user)
    assert stranger.get(own, {"year": 2026}).status_code == 404
    assert stranger.get(reverse("supervision:kaohe_unit", args=[elsewhere.pk, year.street.pk])).status_code == 404


def test_scoring_and_the_bulletin_write_none_of_the_units_records(year):
    def units_records():
        return [(model.__name__, sorted(model.history.values_list("history_id", flat=True)))
                for model in (Application, Appeal, Finding, Checkin)] + [
            ("annual", sorted(AnnualReportRecord.objects.values_list("pk", "state", "published_at")))]

    before = units_records()
    from gongkai.web.supervision.kaohe_services import bulletin_generate, bulletin_issue

    bulletin_issue(bulletin=bulletin_generate(office=year.district, month=date(2026, 8, 1), acting_user=year.supervisor),
                   acting_user=year.supervisor)
    ranking(year.district, 2026)
    scores_finalise(office=year.district, year=2025, acting_user=year.supervisor)
    assert units_records() == before
