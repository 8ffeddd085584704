"""The copied-text pages on the seed reports' real texts: a unit's report repeating last year's with a few edits
is listed and shown side by side, two different seeds are not, and the office sees its subtree only."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import SEEDS
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.report.read import read_report
from gongkai.web.agencies.models import Membership
from gongkai.web.annual.models import AnnualReportRecord

State = AnnualReportRecord.State


def publish(agency, report, year, *, state=State.PUBLISHED):
    report.agency, report.year = agency.full_name, year
    return AnnualReportRecord.objects.create(agency=agency, year=year, version=1, state=state,
                                             snapshot=report.to_json())


def edited(text: str) -> str:
    """The text with its year moved on and a few words changed, as a unit copying last year's report does."""
    return text.replace("2021年", "2022年").replace("进一步", "进一步持续", 2) + "本年度新增一项工作安排。"


@pytest.fixture
def reports(world):
    this, before = read_report(SEEDS[0]), read_report(SEEDS[0])
    for key in ("overview", "problems"):
        this.sections[key] = edited(this.sections[key])
    return {"east_2021": publish(world.street, before, 2021), "east_2022": publish(world.street, this, 2022),
            "west_2022": publish(world.other_street, read_report(SEEDS[2]), 2022)}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def pairs_of(html: str) -> list[tuple[str, str, str]]:
    return re.findall(r'<tr data-kind="([^"]+)">\s*<td><a href="[^"]+">([^<]+)</a> ([^<]+)</td>', html)


def test_a_report_repeating_last_years_is_listed_and_a_different_seed_is_not(world, reports):
    html = _client(world.supervisor).get(reverse("supervision:copied"), {"year": 2022}).content.decode()
    found = pairs_of(html)
    assert sorted(found) == [("previous_year", f"{world.street.full_name}2022年", "一、总体情况"),
                             ("previous_year", f"{world.street.full_name}2022年", "五、存在的主要问题及改进情况")]
    assert world.other_street.full_name not in html.split('id="copied-pairs"')[1]
    assert 'id="compared-count">3<' in html


def test_a_draft_is_not_compared(world, reports):
    reports["east_2022"].state = State.DRAFT
    reports["east_2022"].save()
    html = _client(world.supervisor).get(reverse("supervision:copied"), {"year": 2022}).content.decode()
    assert pairs_of(html) == []


def test_the_side_by_side_page_pairs_the_sentences_and_marks_identical_and_edited_ones(world, reports):
    client = _client(world.supervisor)
    html = client.get(reverse("supervision:copied"), {"year": 2022}).content.decode()
    link = re.search(r'href="(/staff/supervision/copied/compare/[^"]+as=problems[^"]*)"', html).group(1)
    page = client.get(link.replace("&amp;", "&")).content.decode()
    rows = re.findall(r'<tr(?: class="([^"]+)")?>\s*<td class="left">(.*?)</td>\s*<td class="value">(.*?)</td>\s*'
                      r'<td class="right">(.*?)</td>', page, flags=re.S)
    classes = [css for css, *_ in rows]
    assert "copied-same" in classes and "copied-near" in classes
    assert all(left == right for css, left, _, right in rows if css == "copied-same")
    # The 2022 report (the one listed) is on the left, last year's on the right.
    assert any("进一步持续" in left and "进一步持续" not in right for css, left, _, right in rows if css == "copied-near")
    alone = [(left, right) for css, left, _, right in rows if not css]
    assert ("本年度新增一项工作安排。", "") in alone
    assert len(alone) < len(rows) / 3


def test_a_report_outside_the_office_is_a_404_and_a_unit_is_refused(world, reports):
    other_district = AgencyFactory(full_name="外区人民政府")
    outsider = AgencyFactory(full_name="外区某局", parent=other_district)
    foreign = publish(outsider, read_report(SEEDS[0]), 2021)
    client = _client(world.supervisor)
    own = reports["east_2022"].pk
    url = reverse("supervision:copied_compare")
    assert client.get(url, {"a": f"record:{own}", "as": "overview", "b": f"record:{reports['east_2021'].pk}",
                            "bs": "overview"}).status_code == 200
    assert client.get(url, {"a": f"record:{own}", "as": "overview", "b": f"record:{foreign.pk}",
                            "bs": "overview"}).status_code == 404
    assert client.get(url, {"a": f"record:{own}", "as": "sections", "b": f"record:{own}",
                            "bs": "overview"}).status_code == 404
    MembershipFactory(user=UserFactory(username="outside_supervisor"), agency=other_district,
                      role=Membership.Role.SUPERVISOR)
    html = _client(Membership.objects.get(user__username="outside_supervisor").user).get(
        reverse("supervision:copied"), {"year": 2022}).content.decode()
    assert world.street.full_name not in html
    assert _client(world.users["intake"]).get(reverse("supervision:copied")).status_code in (302, 403)
