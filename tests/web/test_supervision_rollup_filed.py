"""The roll-up and the copied-text pages read a unit outside gongkai from the report it filed with the
office: the newest version the office passed counts, a returned or unreviewed one does not."""

from django.urls import reverse
from tests.web.factories import UserFactory
from tests.web.report_files import report_bytes
from tests.web.test_supervision_rollup import cell_values, printed

from gongkai.report.model import AnnualReport
from gongkai.report.write.layout import value_at
from gongkai.web.supervision.filing import FiledFile, filing_pass, filing_return, filing_submit
from gongkai.web.supervision.models import RosterUnit
from gongkai.web.supervision.rollup import office_rollup

YEAR = 2025
TOTAL_NEW = ("applications", "new", "total")


def test_a_passed_filing_is_summed_and_a_returned_one_is_not(world, client):
    unit = RosterUnit.objects.create(office=world.district, name="测试区档案馆", portal_url="https://dag.test.example/",
                                     liaison_user=UserFactory(username="archive_liaison"))
    data = report_bytes("测试区档案馆", YEAR)
    filed = filing_submit(unit=unit, year=YEAR, acting_user=unit.liaison_user, file=FiledFile("年报.html", data))
    filing_return(filing=filed, acting_user=world.supervisor, comment="表三请核对")
    returned = office_rollup(world.supervisor, world.district, YEAR).rolled
    assert "测试区档案馆" in {u.name for u in returned.missing} and not returned.summed

    again = filing_submit(unit=unit, year=YEAR, acting_user=unit.liaison_user, file=FiledFile("年报.html", data))
    filing_pass(filing=again, acting_user=world.supervisor)
    result = office_rollup(world.supervisor, world.district, YEAR)
    expected = value_at(AnnualReport.from_json(again.report), TOTAL_NEW)
    assert expected  # the seed has applications: the check below cannot pass by adding zeros
    assert [u.name for u in result.rolled.summed] == ["测试区档案馆"]
    assert value_at(result.report, TOTAL_NEW) == expected

    client.force_login(world.supervisor)
    page = client.get(reverse("supervision:rollup"), {"office": world.district.pk, "year": YEAR}).content.decode()
    assert cell_values(page)[".".join(TOTAL_NEW)] == printed(expected)
    drill = client.get(reverse("supervision:rollup_cell", args=["applications", "new", "total"]),
                       {"office": world.district.pk, "year": YEAR}).content.decode()
    assert reverse("supervision:filing_detail", args=[again.pk]) in drill
