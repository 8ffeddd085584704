"""The office's roll-up pages: every number equals a plain sum of the units' published reports, each summed
cell lists exactly its units, units without a report are named, the parent-vs-children option, downloads,
and the gate (an office sees its subtree only)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from tests.conftest import FIXTURES
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport
from gongkai.report.write.layout import value_at
from gongkai.web.agencies.models import Membership
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.supervision.models import RosterUnit

YEAR = 2021
EXPECTED = sorted((FIXTURES / "expected").glob("*.json"))


def published(agency, report: AnnualReport, *, year=YEAR, version=1, state=AnnualReportRecord.State.PUBLISHED):
    report.agency, report.year = agency.full_name, year
    return AnnualReportRecord.objects.create(agency=agency, year=year, version=version, state=state,
                                             snapshot=report.to_json())


def seed(n: int) -> AnnualReport:
    return AnnualReport.loads(EXPECTED[n].read_text(encoding="utf-8"))


def cell_values(html: str) -> dict[str, str]:
    """data-key -> the printed number of every value cell of the page's grids."""
    found = {}
    for key, inner in re.findall(r'<td class="value"[^>]*data-key="([^"]+)">(.*?)</td>', html, flags=re.S):
        found[key] = re.sub(r"<[^>]+>", "", inner).strip()
    return found


def printed(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@pytest.fixture
def office(world):
    """Two units with published seed reports, a draft that does not count, and a unit outside gongkai."""
    published(world.street, seed(0))
    published(world.other_street, seed(1))
    published(world.other_street, seed(2), version=2, state=AnnualReportRecord.State.DRAFT)
    RosterUnit.objects.create(office=world.district, name="测试区档案馆", portal_url="https://dag.example.cn/")
    client = Client()
    client.force_login(world.supervisor)
    return client


def _page(client, **params):
    response = client.get(reverse("supervision:rollup"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_every_number_on_the_page_is_the_plain_sum_of_the_units_published_reports(world, office):
    html = _page(office, year=YEAR)
    shown = cell_values(html)
    units = [seed(0), seed(1)]  # the draft (version 2) is not the unit's report
    checked = 0
    for key, text in shown.items():
        table, _, rest = key.partition(".")
        row, _, column = rest.rpartition(".")
        values = [value_at(unit, (table, row, column)) for unit in units]
        if None in values:
            assert text == "", key  # a null unit cell leaves the sum blank (and an issue says why)
            assert f'data-where="{key}"' in html
        else:
            expected = sum(values)
            assert text == printed(round(expected, 6) if isinstance(expected, float) else expected), key
            checked += 1
    assert checked > 100
    assert re.search(r'id="missing-count">1<', html) and "测试区档案馆" in html


def test_a_cell_lists_exactly_the_units_behind_it_with_their_values_and_reports(world, office):
    source = ("applications", "new", "total")
    response = office.get(reverse("supervision:rollup_cell", args=source), {"year": YEAR})
    html = response.content.decode()
    rows = re.findall(r'<tr data-unit="([^"]+)"><td>([^<]+)</td><td class="value">([^<]*)</td><td><a href="([^"]+)"',
                      html)
    records = {r.agency_id: r for r in AnnualReportRecord.objects.filter(version=1)}
    assert sorted(rows) == sorted([
        (f"agency:{world.street.pk}", world.street.full_name, str(value_at(seed(0), source)),
         reverse("staff:annual_detail", args=[records[world.street.pk].pk])),
        (f"agency:{world.other_street.pk}", world.other_street.full_name, str(value_at(seed(1), source)),
         reverse("staff:annual_detail", args=[records[world.other_street.pk].pk])),
    ])
    total = value_at(seed(0), source) + value_at(seed(1), source)
    assert f'id="rollup-total">{total}<' in html
    assert office.get(reverse("supervision:rollup_cell", args=("applications", "nope", "total")),
                      {"year": YEAR}).status_code == 404


def test_a_null_cell_is_summed_from_the_known_units_only_when_asked(world, office):
    report = AnnualReportRecord.objects.get(agency=world.street, version=1)
    snapshot = AnnualReport.from_json(report.snapshot)
    snapshot.appeals["review"]["upheld"] = None
    report.snapshot = snapshot.to_json()
    report.save()
    strict = cell_values(_page(office, year=YEAR))
    assert strict["appeals.review.upheld"] == ""
    known = cell_values(_page(office, year=YEAR, known=1))
    assert known["appeals.review.upheld"] == str(seed(1).appeals["review"]["upheld"])


def test_downloads_carry_the_summed_report(world, office):
    data = json.loads(office.get(reverse("supervision:rollup_download", args=["json"]), {"year": YEAR}).content)
    assert data["applications"]["new"]["total"] == seed(0).applications["new"]["total"] + seed(1).applications["new"]["total"]
    assert data["agency"] == "测试区人民政府（3个单位汇总）"
    docx = office.get(reverse("supervision:rollup_download", args=["docx"]), {"year": YEAR})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "attachment" in docx["Content-Disposition"]
    page = office.get(reverse("supervision:rollup_download", args=["html"]), {"year": YEAR}).content.decode()
    assert "测试区人民政府（3个单位汇总）2021年政府信息公开工作年度报告" in page
    assert "测试区档案馆没有2021年度报告，未计入汇总" in page  # the issues go into the document


def test_a_parent_that_reports_its_subtree_is_summed_alone_and_checked_against_its_children(world, office):
    child = AgencyFactory(full_name="测试区东街道某社区", parent=world.street)
    child_report = seed(3)
    published(child, child_report)
    before = cell_values(_page(office, year=YEAR))
    assert before["appeals.review.total"] == str(sum(seed(n).appeals["review"]["total"] for n in (0, 1, 3)))
    response = office.post(reverse("supervision:rollup_covers"), {"office": world.district.pk, "year": YEAR,
                                                                  "agency": world.street.pk, "reports_subtree": "1"})
    assert response.status_code == 302
    assert RosterUnit.objects.get(agency=world.street).reports_subtree
    roster = office.get(reverse("supervision:roster")).content.decode()
    assert re.search(rf"<td>{world.street.full_name}</td>(?:(?!</tr>).)*<td>是</td>\s*</tr>", roster, flags=re.S)
    html = _page(office, year=YEAR)
    after = cell_values(html)
    assert after["appeals.review.total"] == str(sum(seed(n).appeals["review"]["total"] for n in (0, 1)))
    assert f"已含在「{world.street.full_name}」的报告中" in html
    # The seeds differ, so the street's figures are not its community's: the check names the cells.
    differing = [s for s in (("applications", "new", "total"), ("appeals", "review", "total"))
                 if value_at(seed(0), s) != value_at(child_report, s)]
    assert differing
    for source in differing:
        assert f"{tx.where_label('.'.join(source))}：「{world.street.full_name}」报告 {value_at(seed(0), source)}" in html


def test_the_option_is_the_offices_own_and_only_for_units_below_it(world, office):
    stranger = AgencyFactory(full_name="外区某局")
    response = office.post(reverse("supervision:rollup_covers"), {"office": world.district.pk, "agency": stranger.pk,
                                                                  "reports_subtree": "1"})
    assert response.status_code == 404
    unit_admin = Client()
    unit_admin.force_login(world.users["agency_admin"])
    response = unit_admin.post(reverse("supervision:rollup_covers"), {"agency": world.street.pk, "reports_subtree": "1"})
    assert response.status_code == 403
    assert not RosterUnit.objects.filter(agency=world.street, reports_subtree=True).exists()


def test_an_office_sees_its_subtree_only(world, office):
    other_district = AgencyFactory(full_name="外区人民政府")
    outsider = AgencyFactory(full_name="外区某街道办事处", parent=other_district)
    published(outsider, seed(4))
    MembershipFactory(user=UserFactory(username="other_supervisor"), agency=other_district,
                      role=Membership.Role.SUPERVISOR)
    html = _page(office, year=YEAR)
    assert "外区某街道办事处" not in html
    client = Client()
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("supervision:rollup"), {"year": YEAR}).status_code == 403
    assert client.get(reverse("supervision:rollup_download", args=["json"]), {"year": YEAR}).status_code == 403
    # The other office names this office: the choice falls back to its own, never to another's subtree.
    client.force_login(Membership.objects.get(user__username="other_supervisor").user)
    page = client.get(reverse("supervision:rollup"), {"office": world.district.pk, "year": YEAR}).content.decode()
    assert world.street.full_name not in page and "外区某街道办事处" in page
