"""The demo's supervising office has items, a roster, past check-ins (late and missing among them) and findings."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.web.agencies.models import Agency
from gongkai.web.demo.load import ROOT_NAME, load_demo
from gongkai.web.supervision.dashboard import dashboard_of
from gongkai.web.supervision.models import Checkin, CheckinItem, DigestLine, Finding, RosterUnit
from gongkai.web.supervision.selectors import roster_of, week_start_of, week_statuses

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
def test_the_demo_office_has_a_living_week_and_loading_twice_adds_nothing(empty_search_index):
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
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo_agency_admin"))
    page = client.get(reverse("supervision:my_checkins")).content.decode()
    assert "本周是否更新公开专栏" in page and "按时报送" in page
    client.force_login(get_user_model().objects.get(username="demo_supervisor"))
    assert "公开示范区档案馆" in client.get(reverse("supervision:roster")).content.decode()
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
