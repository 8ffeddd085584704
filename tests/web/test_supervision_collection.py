"""年度报告报送: units file their reports (as any file gongkai reads, or by URL), the office returns or passes
them, the published file is matched by hash, batch upload, year-over-year checks, and the one gate."""

import io
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.test import Client
from django.urls import reverse
from tests.corpus.conftest import http_folder  # noqa: F401  (the fixture: a folder served on 127.0.0.1)
from tests.web.factories import MembershipFactory, UserFactory
from tests.web.report_files import SEED, report_bytes

from gongkai.report.model import AnnualReport
from gongkai.web.agencies.models import Membership
from gongkai.web.annual.models import AnnualReportEvent, AnnualReportRecord
from gongkai.web.annual.services import annual_report_record_create
from gongkai.web.supervision import batch
from gongkai.web.supervision.collection import collection_counts, collection_of, filings_visible_to
from gongkai.web.supervision.filing import (
    FiledFile,
    fetched,
    filing_pass,
    filing_publish,
    filing_return,
    filing_submit,
)
from gongkai.web.supervision.models import ReportFiling, RosterUnit

State = ReportFiling.State
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def archive(world):
    """A unit outside gongkai (测试区档案馆) with its 联络员's account, and a second one without an account."""
    liaison = UserFactory(username="archive_liaison")
    unit = RosterUnit.objects.create(office=world.district, name="测试区档案馆", portal_url="https://dag.test.example/",
                                     liaison_user=liaison)
    RosterUnit.objects.create(office=world.district, name="测试区气象局", portal_url="https://qx.test.example/")
    return unit


def file_it(unit, user, data=None, name="年度报告.html", year=2025):
    return filing_submit(unit=unit, year=year, acting_user=user, file=FiledFile(name, data or report_bytes()))


def test_a_unit_files_its_report_and_it_is_read_and_checked(world, archive):
    data = report_bytes()
    filing = file_it(archive, archive.liaison_user, data)
    assert (filing.version, filing.state, filing.year) == (1, State.FILED, 2025)
    assert bytes(filing.content) == data and len(filing.sha256) == 64
    report = AnnualReport.from_json(filing.report)
    assert report.agency == "测试区档案馆" and report.year == 2025
    seed = AnnualReport.loads(SEED.read_text(encoding="utf-8"))
    assert report.applications["new"] == seed.applications["new"] and report.appeals == seed.appeals
    assert [i.rule for i in report.issues if i.severity == "error"] == []


def test_a_file_of_another_year_or_unit_is_flagged(world, archive):
    filing = file_it(archive, archive.liaison_user, report_bytes(agency="测试区气象局", year=2024))
    rules = {i["rule"]: i["message"] for i in filing.report["issues"]}
    assert "2024" in rules["filing.year"] and "测试区气象局" in rules["filing.agency"]


def test_a_bad_file_is_refused_naming_it_and_nothing_stored_is_lost(world, archive):
    first = file_it(archive, archive.liaison_user)
    filing_return(filing=first, acting_user=world.supervisor, comment="表三数字有误")
    with pytest.raises(ValidationError) as refused:
        file_it(archive, archive.liaison_user, b"%PDF-1.4 broken beyond repair", name="坏文件.pdf")
    assert "「坏文件.pdf」无法读取" in refused.value.message_dict["file"][0]
    assert list(ReportFiling.objects.values_list("version", "state")) == [(1, State.RETURNED)]
    first.refresh_from_db()
    assert first.review_comment == "表三数字有误"


def test_returned_with_comments_then_filed_again_keeps_every_version(world, archive):
    first = file_it(archive, archive.liaison_user)
    with pytest.raises(ValidationError, match="正在等待审核"):
        file_it(archive, archive.liaison_user)
    with pytest.raises(ValidationError):
        filing_return(filing=first, acting_user=world.supervisor, comment="  ")
    filing_return(filing=first, acting_user=world.supervisor, comment="正文第三部分与表三不一致")
    second = file_it(archive, archive.liaison_user, report_bytes(fmt="md"), name="年度报告（修改）.md")
    filing_pass(filing=second, acting_user=world.supervisor, comment="")
    assert list(ReportFiling.objects.order_by("version").values_list("version", "state", "review_comment")) == [
        (1, State.RETURNED, "正文第三部分与表三不一致"), (2, State.PASSED, "")]
    with pytest.raises(ValidationError, match="已审核通过"):
        file_it(archive, archive.liaison_user)


def test_only_the_office_reviews_and_only_the_unit_or_office_files(world, archive):
    filing = file_it(archive, world.supervisor)  # the office files on the unit's behalf
    assert filing.filed_by == world.supervisor
    with pytest.raises(PermissionDenied):
        filing_pass(filing=filing, acting_user=archive.liaison_user)
    with pytest.raises(PermissionDenied):
        filing_return(filing=filing, acting_user=world.users["agency_admin"], comment="不行")
    with pytest.raises(PermissionDenied):
        file_it(RosterUnit.objects.get(name="测试区气象局"), archive.liaison_user)


def test_last_years_carried_forward_must_equal_this_years_carried_over(world, archive):
    last = file_it(archive, archive.liaison_user, report_bytes(year=2024), year=2024)
    forward = last.report["applications"]["carried_forward"]
    filing_pass(filing=last, acting_user=world.supervisor)
    agrees = file_it(archive, archive.liaison_user, report_bytes(carried_over=forward))
    assert not [i for i in agrees.report["issues"] if i["rule"] == "previous.carried_over"]
    filing_return(filing=agrees, acting_user=world.supervisor, comment="重新报送")
    more = forward["natural_person"] + 4
    disagrees = file_it(archive, archive.liaison_user,
                        report_bytes(carried_over={**forward, "natural_person": more, "total": forward["total"] + 4}))
    wrong = {i["where"]: i["message"] for i in disagrees.report["issues"] if i["rule"] == "previous.carried_over"}
    assert sorted(wrong) == ["applications.carried_over.natural_person", "applications.carried_over.total"]
    assert f"为{more}件" in wrong["applications.carried_over.natural_person"]
    assert f"为{forward['natural_person']}件" in wrong["applications.carried_over.natural_person"]


def test_the_published_file_is_matched_by_hash_to_the_version_passed(world, archive):
    data = report_bytes()
    filing = file_it(archive, archive.liaison_user, data)
    with pytest.raises(ValidationError, match="审核通过后"):
        filing_publish(filing=filing, acting_user=archive.liaison_user, file=FiledFile("发布.html", data))
    filing_pass(filing=filing, acting_user=world.supervisor)
    filing_publish(filing=filing, acting_user=archive.liaison_user, file=FiledFile("发布.html", data))
    assert filing.state == State.PUBLISHED and filing.published_matches is True
    (row,) = [r for r in collection_of(world.district, 2025, user=world.supervisor) if r.name == "测试区档案馆"]
    assert row.state == "published" and row.problem == ""
    filing_publish(filing=filing, acting_user=archive.liaison_user, file=FiledFile("发布.html", data + b" "))
    filing.refresh_from_db()
    assert filing.published_matches is False
    (row,) = [r for r in collection_of(world.district, 2025, user=world.supervisor) if r.name == "测试区档案馆"]
    assert "不一致" in row.problem


def test_a_report_is_fetched_from_its_url_with_a_chinese_reason_when_it_cannot_be(world, archive, request):
    folder, base = request.getfixturevalue("http_folder")
    (folder / "report.html").write_bytes(report_bytes())
    file = fetched(f"{base}/report.html")
    filing = filing_submit(unit=archive, year=2025, acting_user=archive.liaison_user, file=file)
    assert filing.source_url == f"{base}/report.html" and filing.file_name == "report.html"
    with pytest.raises(ValidationError) as missing:
        fetched(f"{base}/none.html")
    assert "HTTP 404" in missing.value.message_dict["url"][0]
    with pytest.raises(ValidationError, match="网址应以"):
        fetched("ftp://127.0.0.1/x")


# ---------------------------------------------------------------- the gate


def test_filings_are_seen_by_the_office_and_the_units_liaison_only(world, archive):
    filing = file_it(archive, archive.liaison_user)
    other_office = MembershipFactory(user=UserFactory(username="west_supervisor"), agency=world.other_street,
                                     role=Membership.Role.SUPERVISOR).user
    stranger = UserFactory(username="stranger")
    seen = {user.username: list(filings_visible_to(user)) for user in
            (world.supervisor, archive.liaison_user, other_office, stranger, world.users["agency_admin"])}
    assert seen == {"district_supervisor": [filing], "archive_liaison": [filing], "west_supervisor": [],
                    "stranger": [], "east_agency_admin": []}
    for user, status in ((world.supervisor, 200), (archive.liaison_user, 200), (other_office, 404), (stranger, 404)):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("supervision:filing_detail", args=[filing.pk])).status_code == status
        download = client.get(reverse("supervision:filing_download", args=[filing.pk]))
        assert download.status_code == status
        if status == 200:
            assert download.content == bytes(filing.content)
    archive.liaison_user.is_active = False
    archive.liaison_user.save()
    assert not filings_visible_to(archive.liaison_user).exists()
    anonymous = Client().get(reverse("supervision:filing_download", args=[filing.pk]))
    assert anonymous.status_code == 302 and "/staff/login/" in anonymous["Location"]


# ---------------------------------------------------------------- the year's page


def on_day(filing, day: str):
    ReportFiling.objects.filter(pk=filing.pk).update(filed_at=datetime.fromisoformat(day).replace(tzinfo=SHANGHAI))


def gongkai_unit_submitted(world, agency, day: str):
    record = annual_report_record_create(agency=agency, year=2025, acting_user=world.users["handler"]) \
        if agency == world.street else annual_report_record_create(agency=agency, year=2025)
    AnnualReportRecord.objects.filter(pk=record.pk).update(state=AnnualReportRecord.State.IN_REVIEW)
    event = AnnualReportEvent.objects.create(record=record, action=AnnualReportEvent.Action.SUBMITTED)
    AnnualReportEvent.objects.filter(pk=event.pk).update(at=datetime.fromisoformat(day).replace(tzinfo=SHANGHAI))
    return record


def test_every_unit_has_a_state_and_the_counts_equal_plain_queries(world, archive):
    gongkai_unit_submitted(world, world.street, "2026-01-20")  # a unit on gongkai, on time
    on_day(file_it(archive, archive.liaison_user), "2026-01-31T23:00")  # the last day is on time
    rows = {r.name: r for r in collection_of(world.district, 2025, user=world.supervisor)}
    assert {name: (r.state, r.on_time) for name, r in rows.items()} == {
        "测试区东街道办事处": ("filed", True), "测试区西街道办事处": ("unwritten", False),
        "测试区档案馆": ("filed", True), "测试区气象局": ("unwritten", False)}
    counts = collection_counts(list(rows.values()))
    filed_on_time = ReportFiling.objects.filter(unit__office=world.district, year=2025, version=1,
                                                filed_at__lt=datetime(2026, 2, 1, tzinfo=SHANGHAI)).count()
    submitted_on_time = AnnualReportEvent.objects.filter(
        record__agency__parent=world.district, record__year=2025, action="submitted",
        at__lt=datetime(2026, 2, 1, tzinfo=SHANGHAI)).values("record__agency").distinct().count()
    units = RosterUnit.objects.filter(office=world.district, agency=None).count() + \
        world.district.children.count()
    assert (counts.on_time, counts.units) == (filed_on_time + submitted_on_time, units) == (2, 4)

    client = Client()
    client.force_login(world.supervisor)
    page = client.get(reverse("supervision:collection"), {"office": world.district.pk, "year": 2025})
    html = page.content.decode()
    assert page.status_code == 200
    assert '已按时报送 <span id="count-on-time">2</span> / <span id="count-units">4</span>' in html
    filed = ReportFiling.objects.filter(unit__office=world.district, year=2025, state=State.FILED).count() + \
        AnnualReportRecord.objects.filter(agency__parent=world.district, year=2025, state="in_review").count()
    unwritten = RosterUnit.objects.filter(office=world.district, agency=None).exclude(filings__year=2025).count() + \
        world.district.children.exclude(annual_reports__year=2025).count()
    assert (filed, unwritten) == (2, 2)
    assert f'<span id="count-filed">{filed}</span>' in html and f'<span id="count-unwritten">{unwritten}</span>' in html


def test_a_late_filing_and_a_returned_gongkai_report(world, archive):
    on_day(file_it(archive, archive.liaison_user), "2026-02-01T09:00")
    record = gongkai_unit_submitted(world, world.street, "2026-02-03")
    AnnualReportRecord.objects.filter(pk=record.pk).update(state=AnnualReportRecord.State.DRAFT)
    AnnualReportEvent.objects.create(record=record, action=AnnualReportEvent.Action.RETURNED)
    rows = {r.name: r for r in collection_of(world.district, 2025, user=world.supervisor)}
    assert (rows["测试区档案馆"].state, rows["测试区档案馆"].on_time) == ("filed", False)
    assert (rows["测试区东街道办事处"].state, rows["测试区东街道办事处"].on_time) == ("returned", False)


def test_the_unit_files_through_the_pages_and_sees_the_comments(world, archive):
    liaison, office = Client(), Client()
    liaison.force_login(archive.liaison_user)
    office.force_login(world.supervisor)
    url = reverse("supervision:filing_new", args=[archive.pk]) + "?year=2025"
    assert liaison.post(url, {}).status_code == 400
    upload = io.BytesIO(b"\x00\x01\x02 not a report")
    upload.name = "乱码.doc"
    bad = liaison.post(url, {"file": upload})
    assert bad.status_code == 400 and "「乱码.doc」无法读取" in bad.content.decode()
    good = io.BytesIO(report_bytes())
    good.name = "档案馆2025年报.html"
    response = liaison.post(url, {"file": good})
    filing = ReportFiling.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("supervision:filing_detail",
                                                                            args=[filing.pk])
    detail = reverse("supervision:filing_detail", args=[filing.pk])
    assert liaison.post(detail, {"review-decision": "pass"}).status_code == 403
    office.post(detail, {"review-decision": "return", "review-comment": "请补充第五部分"})
    assert "请补充第五部分" in liaison.get(detail).content.decode()
    assert "请补充第五部分" in liaison.get(reverse("supervision:my_filings")).content.decode()


# ---------------------------------------------------------------- batch upload


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive_file:
        for name, data in files.items():
            archive_file.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def staging(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_batch_upload_proposes_matches_and_stores_nothing_before_confirming(world, archive, staging):
    RosterUnit.objects.create(office=world.district, name="测试区城市管理综合行政执法局", portal_url="https://cg.example/")
    files = {"档案馆.html": report_bytes(),  # the report names its unit exactly
             "2025年度报告-城管.md": report_bytes(agency="测试区城管执法局", fmt="md"),  # an abbreviation: proposed
             "不知道是谁.md": report_bytes(agency="某某单位", fmt="md"),
             "扫描坏了.pdf": b"%PDF-1.4 nothing"}
    token, shown = batch.batch_read(office=world.district, year=2025, acting_user=world.supervisor,
                                    uploads=[("各单位.zip", zip_of(files))])
    by_name = {f.name: (f.match, f.unit.name if f.unit else None) for f in shown}
    assert by_name == {"档案馆.html": ("exact", "测试区档案馆"),
                       "2025年度报告-城管.md": ("proposed", "测试区城市管理综合行政执法局"),
                       "不知道是谁.md": ("unmatched", None), "扫描坏了.pdf": ("unreadable", None)}
    assert not ReportFiling.objects.exists()
    units = {f.index: f.unit for f in shown}
    unit_of = {f.name: f.index for f in shown}
    weather = RosterUnit.objects.get(name="测试区气象局")
    units[unit_of["不知道是谁.md"]] = weather  # the office assigns the unmatched file by hand
    assert batch.batch_store(token=token, office=world.district, acting_user=world.supervisor, choices=units) == 3
    assert not list((Path(staging) / "staging").iterdir())  # the staged files are gone once stored
    assert sorted(ReportFiling.objects.values_list("unit__name", "file_name")) == [
        ("测试区城市管理综合行政执法局", "2025年度报告-城管.md"), ("测试区档案馆", "档案馆.html"),
        ("测试区气象局", "不知道是谁.md")]


def test_batch_confirm_is_all_or_nothing(world, archive, staging):
    weather = RosterUnit.objects.get(name="测试区气象局")
    file_it(weather, world.supervisor)  # waiting for review: a second filing is refused
    token, shown = batch.batch_read(office=world.district, year=2025, acting_user=world.supervisor,
                                    uploads=[("档案馆.html", report_bytes()), ("气象局.html", report_bytes("测试区气象局"))])
    assert [f.match for f in shown] == ["exact", "exact"]
    with pytest.raises(ValidationError) as refused:
        batch.batch_store(token=token, office=world.district, acting_user=world.supervisor,
                          choices={f.index: f.unit for f in shown})
    assert "「气象局.html」" in refused.value.messages[0] and "全部文件均未保存" in refused.value.messages
    assert ReportFiling.objects.count() == 1
    with pytest.raises(ValidationError, match="同一单位"):
        batch.batch_store(token=token, office=world.district, acting_user=world.supervisor,
                          choices={0: archive, 1: archive})
    with pytest.raises(ValidationError, match="已失效"):
        batch.batch_store(token=token, office=world.district, acting_user=archive.liaison_user, choices={0: archive})


def test_batch_pages_confirm_then_store(world, archive, staging):
    client = Client()
    client.force_login(world.supervisor)
    url = reverse("supervision:batch_upload") + f"?office={world.district.pk}&year=2025"
    upload = io.BytesIO(zip_of({"测试区档案馆.html": report_bytes()}))
    upload.name = "reports.zip"
    page = client.post(url, {"files": [upload]})
    html = page.content.decode()
    assert page.status_code == 200 and "完全匹配" in html and not ReportFiling.objects.exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    done = client.post(url, {"token": token, "unit-0": str(archive.pk)})
    assert done.status_code == 302 and ReportFiling.objects.get().unit == archive
    broken = io.BytesIO(b"PK\x03\x04 not really")
    broken.name = "坏.zip"
    refused = client.post(url, {"files": [broken]})
    assert refused.status_code == 400 and "「坏.zip」不是有效的 ZIP 压缩包" in refused.content.decode()
    liaison = Client()
    liaison.force_login(archive.liaison_user)
    assert liaison.get(url).status_code == 403


# ---------------------------------------------------------------- year over year


def test_the_comparison_shows_totals_side_by_side_and_the_carried_over_check(world, archive):
    last = file_it(archive, archive.liaison_user, report_bytes(year=2024), year=2024)
    filing_pass(filing=last, acting_user=world.supervisor)
    forward = last.report["applications"]["carried_forward"]
    this = file_it(archive, archive.liaison_user, report_bytes(
        carried_over={"natural_person": forward["natural_person"] + 1, "total": forward["total"] + 1}))
    client = Client()
    client.force_login(world.supervisor)
    html = client.get(reverse("supervision:compare"), {"unit": archive.pk, "year": 2025}).content.decode()
    new_total = this.report["applications"]["new"]["total"]
    assert "本年新收政府信息公开申请数量" in html and f"<td>{new_total}</td>" in html
    assert "上年结转" in html and 'id="between"' in html
    detail = client.get(reverse("supervision:filing_detail", args=[this.pk])).content.decode()
    assert 'data-rule="previous.carried_over"' in detail
    stranger = Client()
    stranger.force_login(UserFactory(username="nobody"))
    assert stranger.get(reverse("supervision:compare"), {"unit": archive.pk, "year": 2025}).status_code == 404


# ---------------------------------------------------------------- 日提醒


def test_the_office_digest_names_units_outside_gongkai_not_filed_or_published_unlike_the_version_passed(world, archive):
    weather = RosterUnit.objects.get(name="测试区气象局")
    filing = file_it(weather, world.supervisor, report_bytes("测试区气象局"))
    filing_pass(filing=filing, acting_user=world.supervisor)
    filing_publish(filing=filing, acting_user=world.supervisor, file=FiledFile("网上的版本.html", b"<html>other</html>"))
    office, unit = Client(), Client()
    office.force_login(world.supervisor)
    unit.force_login(world.users["agency_admin"])
    html = office.get(reverse("supervision:office_digest")).content.decode()
    mismatched = ReportFiling.objects.filter(unit__office=world.district, year=2025, state=State.PUBLISHED).exclude(
        published_sha256=F("sha256")).count()
    not_filed = RosterUnit.objects.filter(office=world.district, agency=None).exclude(
        filings__year=2025).count()  # 2026-09-15 is long past 1月31日
    assert f'data-digest="filing_problem">{mismatched + not_filed}<' in html and (mismatched, not_filed) == (1, 1)
    assert "测试区档案馆：2025年度报告应于1月31日前报送，至今未报送" in html
    assert reverse("supervision:filing_detail", args=[filing.pk]) in html
    assert 'data-digest="filing_problem">0<' in unit.get(reverse("supervision:my_digest")).content.decode()


def test_a_unit_on_gongkai_is_compared_with_its_own_records_through_the_agency_gate(world):
    for year in (2024, 2025):
        record = annual_report_record_create(agency=world.street, year=year, acting_user=world.users["handler"])
        snapshot = AnnualReport.loads(SEED.read_text(encoding="utf-8"))
        snapshot.year = year
        if year == 2025:  # last year's 结转下年度 plus five
            snapshot.applications["carried_over"]["total"] = \
                AnnualReport.loads(SEED.read_text(encoding="utf-8")).applications["carried_forward"]["total"] + 5
        AnnualReportRecord.objects.filter(pk=record.pk).update(snapshot=snapshot.to_json(), state="published")
    client = Client()
    client.force_login(world.supervisor)
    html = client.get(reverse("supervision:compare"), {"agency": world.street.pk, "year": 2025}).content.decode()
    assert "2024年度报告" in html and 'id="between"' in html and "两者应相等" in html
    client.force_login(world.other_intake)  # the west street's staff: not the east's records
    assert client.get(reverse("supervision:compare"), {"agency": world.street.pk, "year": 2025}).status_code == 404


@pytest.mark.parametrize("typed", ["99999999999999999999", "²", "<script>alert(1)</script>", "a\x00b", "长" * 5000, ""])
def test_hand_typed_input_gets_an_answer_never_a_server_error(world, archive, staging, typed):
    file_it(archive, archive.liaison_user)
    filing = ReportFiling.objects.get()
    client = Client(raise_request_exception=False)
    client.force_login(world.supervisor)
    posts = [(reverse("supervision:filing_new", args=[archive.pk]), {"url": typed, "year": typed}),
             (reverse("supervision:filing_detail", args=[filing.pk]), {"review-decision": typed, "review-comment": typed}),
             (reverse("supervision:batch_upload"), {"token": typed, "unit-0": typed, "year": typed, "office": typed})]
    for url, data in posts:
        assert client.post(url, data).status_code < 500, url
    for query in ({"year": typed, "office": typed}, {"unit": typed, "agency": typed, "year": typed}):
        assert client.get(reverse("supervision:collection"), query).status_code < 500
        assert client.get(reverse("supervision:compare"), query).status_code < 500
