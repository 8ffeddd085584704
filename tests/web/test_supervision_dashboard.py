"""监督首页: every figure equals a plain query of the records it names, and its link lists exactly them."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from tests.web.test_supervision_digest import plain_counts, records  # noqa: F401 (a fixture)

from gongkai.web.cases.models import Application
from gongkai.web.supervision.dashboard import ANSWERED_STATES, dashboard_of, month_after, month_starts
from gongkai.web.supervision.models import Checkin, CheckinItem, Finding
from gongkai.web.supervision.selectors import week_due_at, week_start_of


def today() -> date:
    return timezone.localdate()  # the tests' clock (tests/conftest.py), read once it is set


def this_month() -> date:
    return today().replace(day=1)


def last_month() -> date:
    return (this_month() - timedelta(days=1)).replace(day=1)


def answered(world, received_on: date, closed_on: date, *, agency=None, user=None, state=Application.State.DELIVERED):
    """A case answered on ``closed_on`` (its earlier steps do not matter to the figures)."""
    application = world.register(received_on=received_on, agency=agency, user=user).application
    Application.objects.filter(pk=application.pk).update(state=state, closed_on=closed_on)
    return application


@pytest.fixture
def answers(world):
    east, west = world.street, world.other_street
    start = last_month()
    made = {
        "east_quick": answered(world, start, start + timedelta(days=3)),  # surely on time
        "east_in_time": answered(world, start, start + timedelta(days=25)),  # >20 days, still within 20 working days
        "east_late": answered(world, start - timedelta(days=60), start + timedelta(days=2)),
        "west_late": answered(world, start - timedelta(days=60), start + timedelta(days=1), agency=west,
                              user=world.other_intake),
        "archived": answered(world, this_month() - timedelta(days=5), this_month(), state=Application.State.ARCHIVED)
        if today() >= this_month() else None,
        "abandoned": answered(world, start, start + timedelta(days=40), state=Application.State.ABANDONED),
        "old": answered(world, date(2020, 1, 2), date(2020, 1, 6)),  # outside the 12 months
    }
    assert east and made
    return made


def plain_answers(agency_ids, since, until):
    """Answered (delivered or archived) cases closed in [since, until): (all, late), by is_overdue on each."""
    cases = [a for a in Application.objects.filter(agency_id__in=agency_ids, closed_on__gte=since, closed_on__lt=until)
             if a.state in ANSWERED_STATES]
    return {a.pk for a in cases}, {a.pk for a in cases if a.is_overdue(a.closed_on)}


def listed_cases(client, url) -> set[int]:
    html = client.get(url).content.decode()
    return {int(pk) for pk in re.findall(r'href="/staff/cases/(\d+)/"', html)}


def supervisor_client(world):
    client = Client()
    client.force_login(world.supervisor)
    return client


def test_the_answer_rate_counts_answered_cases_by_their_due_date_and_links_to_them(world, answers):
    board = dashboard_of(world.district, [world.street, world.other_street])
    ids = {world.street.pk, world.other_street.pk}
    everything, late = plain_answers(ids, board.since, board.until)
    assert board.answered.of == len(everything) == 5
    assert board.answered.count == len(everything - late) == 3
    assert late == {answers["east_late"].pk, answers["west_late"].pk}
    client = supervisor_client(world)
    assert listed_cases(client, board.answered.url) == everything
    assert listed_cases(client, board.answered.url + "&timing=late") == late
    assert listed_cases(client, board.answered.url + "&timing=on_time") == everything - late
    # by month: last month holds the four delivered in it; this month's archived one
    month = next(m for m in board.months if m.start == last_month())
    in_month, late_in_month = plain_answers(ids, last_month(), month_after(last_month()))
    assert (month.answered.count, month.answered.of) == (len(in_month - late_in_month), len(in_month)) == (2, 4)
    assert listed_cases(client, month.answered.url) == in_month
    # by unit
    east = next(u for u in board.units if u.agency == world.street)
    in_east, late_east = plain_answers({world.street.pk}, board.since, board.until)
    assert (east.answered.count, east.answered.of) == (len(in_east - late_east), len(in_east)) == (3, 4)
    assert listed_cases(client, east.answered.url) == in_east


def test_a_unit_without_answered_cases_has_no_rate_rather_than_a_perfect_one(world):
    board = dashboard_of(world.district, [world.street, world.other_street])
    assert board.answered.of == 0 and board.answered.percent is None
    assert all(u.answered.percent is None for u in board.units if u.agency)
    assert all(u.light == "green" for u in board.units if u.agency)


def test_overdue_counts_are_the_digest_s_and_link_to_exactly_its_records(world, records):  # noqa: F811
    board = dashboard_of(world.district, [world.street, world.other_street])
    plain = plain_counts({world.street.pk, world.other_street.pk}, today())
    shown = {o.key: o.count for o in board.overdue}
    for key in ("overdue", "correction_late", "publication_late", "finding_overdue"):
        assert shown[key] == plain[key], key
    client = supervisor_client(world)
    overdue = next(o for o in board.overdue if o.key == "overdue")
    open_late = {a.pk for a in Application.objects.exclude(state__in=Application.CLOSED_STATES)
                 .exclude(state=Application.State.CONSULTING) if a.is_overdue(today())}
    assert listed_cases(client, overdue.url) == open_late == {
        records["overdue"].pk, records["west"].pk, records["corrected"].pk}
    correction = next(o for o in board.overdue if o.key == "correction_late")
    assert listed_cases(client, correction.url) == {records["corrected"].pk}
    publications = next(o for o in board.overdue if o.key == "publication_late")
    html = client.get(publications.url).content.decode()
    assert {int(pk) for pk in re.findall(r'href="/staff/publications/(\d+)/"', html)} == {
        records["late"].pk, records["west_late"].pk}
    findings = next(o for o in board.overdue if o.key == "finding_overdue")
    html = client.get(findings.url).content.decode()
    listed = {int(pk) for pk in re.findall(r'href="/staff/supervision/findings/(\d+)/"', html)}
    assert listed == set(Finding.objects.filter(state__in=Finding.OPEN_STATES, due_on__lt=today())
                         .values_list("pk", flat=True))
    # a unit's own count links to its own records only, and it is red (an overdue application)
    east = next(u for u in board.units if u.agency == world.street)
    east_overdue = next(o for o in east.overdue if o.key == "overdue")
    assert listed_cases(client, east_overdue.url) == {records["overdue"].pk, records["corrected"].pk}
    assert east.light == "red"


@pytest.fixture
def weeks(world):
    """Four past weeks of check-ins: east on time every week, west late once and missing once."""
    item = CheckinItem.objects.create(office=world.district, text="本周是否更新专栏")
    CheckinItem.history.filter(id=item.pk).update(history_date=timezone.now() - timedelta(weeks=8))
    this_week = week_start_of(today())
    made = []
    for back in range(1, 5):
        week = this_week - timedelta(weeks=back)
        due = week_due_at(world.district, week)
        made.append(Checkin.objects.create(office=world.district, agency=world.street, week_start=week, due_at=due,
                                           submitted_at=due - timedelta(hours=1)))
        if back == 2:
            made.append(Checkin.objects.create(office=world.district, agency=world.other_street, week_start=week,
                                               due_at=due, submitted_at=due + timedelta(hours=3)))
        elif back != 3:
            made.append(Checkin.objects.create(office=world.district, agency=world.other_street, week_start=week,
                                               due_at=due, submitted_at=due - timedelta(hours=3)))
    return made


def test_check_in_rates_count_on_time_check_ins_of_the_asked_weeks(world, weeks):
    board = dashboard_of(world.district, [world.street, world.other_street])
    this_week = week_start_of(today())
    asked = [this_week - timedelta(weeks=back) for back in range(1, 9) if this_week - timedelta(weeks=back)
             >= board.since]
    # a plain count: every unit is asked every week since the first item; this week's deadline may be to come
    end_of_today = timezone.make_aware(datetime.combine(today(), datetime.max.time()))
    if week_due_at(world.district, this_week) < end_of_today:
        asked.append(this_week)
    on_time = sum(1 for c in Checkin.objects.filter(week_start__in=asked) if c.submitted_at <= c.due_at)
    assert (board.checkins.count, board.checkins.of) == (on_time, 2 * len(asked))
    west = next(u for u in board.units if u.agency == world.other_street)
    west_on_time = Checkin.objects.filter(agency=world.other_street, week_start__in=asked).count() - 1
    assert (west.checkins.count, west.checkins.of) == (west_on_time, len(asked))
    client = supervisor_client(world)
    html = client.get(west.checkins.url + "&state=late").content.decode()
    assert re.findall(r'data-week="([\d-]+)" data-agency="(\d+)" data-state="late"', html) == [
        (f"{this_week - timedelta(weeks=2):%Y-%m-%d}", str(world.other_street.pk))]
    html = client.get(west.checkins.url).content.decode()
    assert int(re.search(r'id="count-weeks">(\d+)<', html).group(1)) == west.checkins.of


def test_findings_by_month_link_to_the_month_s_findings(world, records):  # noqa: F811
    board = dashboard_of(world.district, [world.street, world.other_street])
    month = next(m for m in board.months if m.start == this_month())
    assert month.found == Finding.objects.filter(office=world.district, month=this_month()).count() == 2
    html = supervisor_client(world).get(month.found_url).content.decode()
    listed = {int(pk) for pk in re.findall(r'href="/staff/supervision/findings/(\d+)/"', html)}
    assert listed == set(Finding.objects.filter(month=this_month()).values_list("pk", flat=True))


def test_month_starts_are_the_last_twelve_months():
    starts = month_starts(date(2026, 3, 15))
    assert starts[0] == date(2025, 4, 1) and starts[-1] == date(2026, 3, 1) and len(starts) == 12


@override_settings(GONGKAI_DASHBOARD_GREEN_RATE=95, GONGKAI_DASHBOARD_RED_RATE=80)
def test_the_lights_follow_the_stated_thresholds(world):
    start = last_month()
    for _ in range(9):
        answered(world, start, start + timedelta(days=2))
    answered(world, start - timedelta(days=60), start + timedelta(days=1))  # 9 of 10 on time: amber
    for _ in range(3):
        answered(world, start, start + timedelta(days=2), agency=world.other_street, user=world.other_intake)
    board = dashboard_of(world.district, [world.street, world.other_street])
    lights = {u.agency: u.light for u in board.units if u.agency}
    assert lights == {world.street: "amber", world.other_street: "green"}
    html = supervisor_client(world).get(reverse("supervision:dashboard")).content.decode()
    assert "低于 80%" in html and "低于 95%" in html


def test_the_page_shows_charts_tables_and_is_the_supervisor_s_first_tab(world, answers, weeks):
    client = supervisor_client(world)
    response = client.get(reverse("supervision:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("rates", "findings", "overdue"):
        assert f'id="chart-{slug}-option"' in html
    assert html.index("监督首页</a>") < html.index("监督名册</a>")
    assert 'id="dashboard-months"' in html and 'id="dashboard-units"' in html


def test_a_unit_s_staff_have_no_dashboard_and_see_no_other_unit_s_cases_through_its_filters(world, answers):
    client = Client()
    client.force_login(world.users["intake"])
    assert client.get(reverse("supervision:dashboard")).status_code == 403
    since, until = month_starts(today())[0], month_after(this_month())
    url = (f"{reverse('staff:case_list')}?office={world.district.pk}&answered_from={since}&answered_until={until}"
           "&timing=late")
    assert listed_cases(client, url) == {answers["east_late"].pk}  # not the west street's


def test_the_staff_home_links_a_supervisor_and_only_a_supervisor_to_the_dashboard(world):
    html = supervisor_client(world).get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("supervision:dashboard")}?office={world.district.pk}"' in html
    client = Client()
    client.force_login(world.users["intake"])
    assert reverse("supervision:dashboard") not in client.get(reverse("staff:home")).content.decode()
