"""The demo's supervising office has items, a roster, past check-ins (late and missing among them) and findings."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.demo.load import ROOT_NAME, load_demo
from gongkai.web.demo.supervision import OUTSIDE_UNIT
from gongkai.web.supervision.dashboard import dashboard_of
from gongkai.web.supervision.models import (
    Bulletin,
    Checkin,
    CheckinItem,
    DigestLine,
    Finding,
    RosterUnit,
    YearScore,
)
from gongkai.web.supervision.selectors import roster_of, week_start_of, week_statuses

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
def test_the_demo_office_has_a_living_week_and_loading_twice_adds_nothing(empty_search_index, monkeypatch):
    from gongkai.web.supervision.portal_fetch import Fetcher

    def no_network(self, url):
        raise AssertionError(f"the demo fetched {url}")

    monkeypatch.setattr(Fetcher, "get", no_network)
    load_demo(write=lambda *_: None)
    counts = (CheckinItem.objects.count(), Checkin.objects.count(), Finding.objects.count(), RosterUnit.objects.count(),
              DigestLine.objects.count())
    load_demo(write=lambda *_: None)
    assert (CheckinItem.objects.count(), Checkin.objects.count(), Finding.objects.count(),
            RosterUnit.objects.count(), DigestLine.objects.count()) == counts
    assert DigestLine.objects.filter(recipient__username="demo_supervisor").exists()  # today's 日提醒 is there
    root = Agency.objects.get(full_name=ROOT_NAME)
    last_week = week_start_of(timezone.localdate()) - timedelta(weeks=1)
    states = {s.state for week in range(4) for s in week_statuses(root, last_week - timedelta(weeks=week))}
    assert {"on_time", "late", "missing"} <= states
    this_month = timezone.localdate().replace(day=1)  # the months before hold the demo's year (supervision_year)
    assert Finding.objects.filter(office=root, kind=Finding.Check.MANUAL, month=this_month).count() == 1
    recorded = Finding.objects.filter(office=root, roster_unit__name=OUTSIDE_UNIT[0], agency=None)
    assert sorted(recorded.values_list("kind", flat=True)) == [Finding.Check.BROKEN_ATTACHMENT, Finding.Check.BROKEN_LINK]
    assert all(f.description.startswith("示例数据（预先录制，演示不访问网络）") for f in recorded)
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo_agency_admin"))
    page = client.get(reverse("supervision:my_checkins")).content.decode()
    assert "本周是否更新公开专栏" in page and "按时报送" in page
    client.force_login(get_user_model().objects.get(username="demo_supervisor"))
    assert "公开示范区档案馆" in client.get(reverse("supervision:roster")).content.decode()
    findings_page = client.get(reverse("supervision:office_findings")).content.decode()
    assert "公开示范区档案馆（示例数据）" in findings_page and "附件无法打开" in findings_page
    digest = client.get(reverse("supervision:office_digest")).content.decode()
    assert "data-digest-item=" in digest
    # a year of it over a dozen units, so the dashboard is alive: red, amber and green units among them
    assert len(roster_of(root)) >= 12 and sum(1 for row in roster_of(root) if row.agency is None) >= 2
    first_week = Checkin.objects.filter(office=root).order_by("week_start").first().week_start
    assert first_week <= week_start_of(timezone.localdate()) - timedelta(weeks=50)
    assert Finding.objects.filter(office=root).values("month").distinct().count() >= 10
    assert Finding.objects.filter(office=root, state=Finding.State.ACCEPTED).exists()
    board = dashboard_of(root, Agency.objects.filter(pk__in=root.subtree_ids() - {root.pk}))
    assert {"red", "amber", "green"} <= {unit.light for unit in board.units}
    assert board.answered.of > 0 and all(month.checkins.of > 0 for month in board.months[:-1])
    page = client.get(reverse("supervision:dashboard")).content.decode()
    assert 'data-chart-option="chart-rates-option"' in page
    issued = Bulletin.objects.get(office=root, state="issued")
    assert issued.title.startswith("关于") and issued.figures["units"]
    assert client.get(reverse("supervision:bulletin_detail", args=[issued.pk])).status_code == 200
    ranking = client.get(reverse("supervision:kaohe_ranking"), {"office": root.pk}).content.decode()
    assert "件）" in ranking and "周）" in ranking
    assert YearScore.objects.filter(office=root, year=timezone.localdate().year - 1).exists()
    client.force_login(get_user_model().objects.get(username="demo_agency_admin"))
    assert issued.title in client.get(reverse("supervision:my_bulletins")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_demo_district_has_a_year_of_annual_report_filings(empty_search_index):
    from gongkai.web.demo.filings import LIAISON_LOGIN
    from gongkai.web.supervision.collection import collection_counts, collection_of
    from gongkai.web.supervision.models import ReportFiling

    load_demo(write=lambda *_: None)
    filings = ReportFiling.objects.count()
    load_demo(write=lambda *_: None)
    assert ReportFiling.objects.count() == filings
    root = Agency.objects.get(full_name=ROOT_NAME)
    supervisor = get_user_model().objects.get(username="demo_supervisor")
    year = timezone.localdate().year - 1
    rows = collection_of(root, year, user=supervisor)
    states = {row.state for row in rows}
    assert {"unwritten", "filed", "passed", "published"} <= states
    assert any(row.problem for row in rows)  # one unit published another file than the one passed
    assert ReportFiling.objects.filter(state="returned", year=year).exists()
    assert any(i["rule"] == "previous.carried_over" for f in ReportFiling.objects.filter(year=year)
               for i in f.report["issues"])
    counts = collection_counts(rows)
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("supervision:collection"), {"office": root.pk, "year": year}).content.decode()
    assert f'已按时报送 <span id="count-on-time">{counts.on_time}</span> / <span id="count-units">{len(rows)}</span>' \
        in page
    client.force_login(get_user_model().objects.get(username=LIAISON_LOGIN))
    assert "公开示范区档案馆" in client.get(reverse("supervision:my_filings")).content.decode()
