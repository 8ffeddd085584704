"""The demo district shows a roll-up of its units' reports and at least one copied-text pair."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.demo.load import load_demo
from gongkai.web.demo.published import seed_reports

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
def test_the_demo_office_has_a_roll_up_and_a_report_repeating_last_years(empty_search_index):
    load_demo(write=lambda *_: None)
    records = AnnualReportRecord.objects.count()
    load_demo(write=lambda *_: None)
    assert AnnualReportRecord.objects.count() == records  # loading twice adds nothing
    client = Client()
    client.force_login(get_user_model().objects.get(username="demo_supervisor"))
    seeds = seed_reports()
    year = seeds[0].year
    html = client.get(reverse("supervision:rollup"), {"year": year}).content.decode()
    assert re.search(rf'id="summed-count">{len(seeds)}<', html)
    new_total = sum(seed.applications["new"]["total"] for seed in seeds)
    assert re.search(rf'data-key="applications.new.total"><a href="[^"]+">{new_total}</a>', html)
    assert "公开示范区档案馆" in html  # a unit outside gongkai, without a report: listed as missing
    copied = client.get(reverse("supervision:copied"), {"year": year + 1}).content.decode()
    assert 'data-kind="previous_year"' in copied
