"""The supervising office's roster: units below it on gongkai, contacts, units outside gongkai, import."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership
from gongkai.web.supervision.models import RosterUnit
from gongkai.web.supervision.roster_import import RosterHasErrors, UnreadableRoster
from gongkai.web.supervision.selectors import roster_of
from gongkai.web.supervision.services import roster_import

HEADER = "单位名称,门户网站,联络员,联络员电话,联络员账号,分管领导,分管领导电话\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def good_file(world) -> bytes:
    return csv_bytes(f"{world.street.full_name},,李联络,010-6512 3456,east_agency_admin,王分管,13800000000",
                     "测试区档案馆,https://dag.example.cn/,赵馆员,010-1234567,,钱馆长,")


def test_the_roster_lists_the_units_below_the_office_and_those_outside_gongkai(world):
    roster_import(office=world.district, acting_user=world.supervisor, data=good_file(world))
    rows = {row.name: row for row in roster_of(world.district)}
    assert set(rows) == {world.street.full_name, world.other_street.full_name, "测试区档案馆"}
    assert rows[world.street.full_name].entry.liaison_user == world.users["agency_admin"]
    assert rows[world.street.full_name].entry.leader_phone == "13800000000"
    assert rows[world.other_street.full_name].entry is None  # on gongkai, no contacts entered yet
    outside = rows["测试区档案馆"]
    assert outside.agency is None and outside.entry.portal_url == "https://dag.example.cn/"


def test_a_unit_outside_gongkai_gets_a_liaison_account_for_filing_its_annual_report(world):
    UserFactory(username="dag_liaison")  # an account with no post in any agency
    roster_import(office=world.district, acting_user=world.supervisor,
                  data=csv_bytes("测试区档案馆,https://dag.example.cn/,赵馆员,,dag_liaison,,",
                                 "测试区气象局,https://qx.example.cn/,钱,,,,"))
    rows = {row.name: row for row in roster_of(world.district)}
    assert rows["测试区档案馆"].entry.liaison_user.username == "dag_liaison"
    assert rows["测试区气象局"].agency is None  # every unit outside gongkai is listed, not only one of them


def test_importing_the_same_file_twice_changes_nothing(world):
    first = roster_import(office=world.district, acting_user=world.supervisor, data=good_file(world))
    second = roster_import(office=world.district, acting_user=world.supervisor, data=good_file(world))
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert RosterUnit.objects.count() == 2


def test_a_unit_is_found_by_its_short_name_and_stored_under_its_full_name(world):
    world.street.short_name = "东街道"
    world.street.save()
    roster_import(office=world.district, acting_user=world.supervisor, data=csv_bytes("东街道,,李联络,,,,"))
    assert RosterUnit.objects.get().agency == world.street
    assert RosterUnit.objects.get().name == world.street.full_name


def test_an_xlsx_roster_below_a_title_row_is_read(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["测试区政务公开联络员名册"])
    sheet.append(["分管领导", "单位名称", "联络员"])
    sheet.append(["王分管", world.other_street.full_name, "周联络"])
    buffer = io.BytesIO()
    book.save(buffer)
    roster_import(office=world.district, acting_user=world.supervisor, data=buffer.getvalue())
    entry = RosterUnit.objects.get()
    assert (entry.agency, entry.leader_name, entry.liaison_name) == (world.other_street, "王分管", "周联络")


def test_every_bad_row_is_named_and_nothing_is_imported(world):
    MembershipFactory(user=UserFactory(username="west_admin"), agency=world.other_street,
                      role=Membership.Role.AGENCY_ADMIN)
    data = csv_bytes(
        f"{world.street.full_name},,李联络,010-6512 3456,east_agency_admin,王分管,",  # good
        "不存在的单位,,张三,,,,",  # row 3: not below the office, no portal
        "测试区档案馆,ftp://dag.example.cn,赵,,,,",  # row 4: bad URL
        f"{world.other_street.full_name},,周,电话待定,nobody,,",  # row 5: bad phone, unknown user
        f"{world.other_street.full_name},,周,,,,",  # row 6: same unit as row 5
        "测试区图书馆,https://lib.example.cn,,,west_admin,,",  # row 7: a user for a unit outside gongkai
        f"{world.street.full_name.replace('东', '东 ')},,,,,,",  # row 8: row 2's unit, typed with a space
    )
    with pytest.raises(RosterHasErrors) as caught:
        roster_import(office=world.district, acting_user=world.supervisor, data=data)
    found = [(e.row, e.column, e.value) for e in caught.value.errors]
    assert found == [
        (3, "单位名称", "不存在的单位"),
        (4, "门户网站", "ftp://dag.example.cn"),
        (5, "联络员电话", "电话待定"),
        (5, "联络员账号", "nobody"),
        (6, "单位名称", world.other_street.full_name),
        (7, "联络员账号", "west_admin"),
        (8, "单位名称", world.street.full_name.replace("东", "东 ")),
    ]
    assert "第 2 行" in caught.value.errors[-1].message
    messages = [e.message for e in caught.value.errors]
    assert "门户网站地址" in messages[0] and "第 5 行" in messages[4] and "没有岗位" not in messages[5]
    assert RosterUnit.objects.count() == 0


def test_a_user_without_a_post_in_the_unit_is_refused(world):
    data = csv_bytes(f"{world.street.full_name},,周,,west_intake,,")
    with pytest.raises(RosterHasErrors) as caught:
        roster_import(office=world.district, acting_user=world.supervisor, data=data)
    (error,) = caught.value.errors
    assert (error.row, error.column, error.value) == (2, "联络员账号", "west_intake")
    assert "没有岗位" in error.message


@pytest.mark.parametrize(("data", "message"), [
    (b"", "文件是空的"),
    ("名称,电话\n某单位,1\n".encode(), "找不到表头"),
    ("单位名称,单位\n某单位,某单位\n".encode(), "是同一列"),
    (b"\xd0\xcf\x11\xe0rest", "旧版 Excel"),
])
def test_an_unreadable_file_says_why_in_chinese(world, data, message):
    with pytest.raises(UnreadableRoster) as caught:
        roster_import(office=world.district, acting_user=world.supervisor, data=data)
    assert message in caught.value.message


def test_only_the_office_s_supervisor_imports_its_roster(world):
    from django.core.exceptions import PermissionDenied

    for user in (world.users["agency_admin"], world.other_intake):
        with pytest.raises(PermissionDenied):
            roster_import(office=world.district, acting_user=user, data=good_file(world))
    with pytest.raises(PermissionDenied):  # a supervisor of the district does not run its street's roster
        roster_import(office=world.street, acting_user=world.supervisor, data=csv_bytes("某单位,https://a.example.cn,,,,,"))


# ---------------------------------------------------------------- pages


def test_the_roster_page_counts_what_it_lists(world):
    roster_import(office=world.district, acting_user=world.supervisor, data=good_file(world))
    client = Client()
    client.force_login(world.supervisor)
    response = client.get(reverse("supervision:roster"))
    assert response.status_code == 200
    body = response.content.decode()
    below = len(world.district.subtree_ids()) - 1
    outside = RosterUnit.objects.filter(office=world.district, agency=None).count()
    assert f'<span id="unit-count">{below + outside}</span>' in body
    assert f'<span id="on-gongkai-count">{below}</span>' in body
    assert f'<span id="outside-count">{outside}</span>' in body
    assert "李联络 010-6512 3456（账号 east_agency_admin）" in body and "https://dag.example.cn/" in body


def test_the_roster_page_imports_and_lists_every_bad_row(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(world.supervisor)
    url = reverse("supervision:roster_import")
    bad = SimpleUploadedFile("名册.csv", csv_bytes("不存在的单位,,张三,,,,"))
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode() and "不存在的单位" in response.content.decode()
    good = SimpleUploadedFile("名册.csv", good_file(world))
    response = client.post(url, {"file": good}, follow=True)
    assert "新增 2 个单位" in response.content.decode()
    assert RosterUnit.objects.filter(office=world.district).count() == 2


def test_units_and_outsiders_do_not_see_the_roster(world):
    client = Client()
    client.force_login(world.users["agency_admin"])
    assert client.get(reverse("supervision:roster")).url == reverse("supervision:my_checkins")
    assert client.get(reverse("supervision:roster_import")).status_code == 403
    other_district = AgencyFactory(full_name="别区人民政府")
    outsider = MembershipFactory(user=UserFactory(username="other_supervisor"), agency=other_district,
                                 role=Membership.Role.SUPERVISOR).user
    roster_import(office=world.district, acting_user=world.supervisor, data=good_file(world))
    client.force_login(outsider)
    # Asking for the district by id does not switch to it: the page stays on the user's own office.
    body = client.get(reverse("supervision:roster"), {"office": world.district.pk}).content.decode()
    assert "别区人民政府" in body and world.street.full_name not in body and "李联络" not in body


def test_every_unit_outside_gongkai_is_listed_not_only_the_last(world):
    for name in ("区档案馆", "区气象局", "区地震局"):
        RosterUnit.objects.create(office=world.district, name=name, portal_url=f"https://{len(name)}.example/")
    outside = [row.name for row in roster_of(world.district) if row.agency is None]
    assert outside == sorted(RosterUnit.objects.filter(agency__isnull=True).values_list("name", flat=True))
    assert len(outside) == 3
