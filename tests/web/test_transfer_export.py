"""``gongkai export`` / ``import``: an agency's archive, imported into an empty site, gives the same records and pages."""

import hashlib
import json
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application, Consultation, FeeNotice, ReplyTemplate
from gongkai.web.cases.services import application_register
from gongkai.web.demo.load import ROOT_NAME, create_logins, load_seed_data, publish_demo_annual_reports
from gongkai.web.disclosure.demo import load_demo_publications
from gongkai.web.disclosure.models import Attachment, Genre, Publication
from gongkai.web.disclosure.search import search_index
from gongkai.web.public.services import online_application_submit
from gongkai.web.reminders.models import Message, ProvisionalDue
from gongkai.web.staff.personal_data import personal_data_viewed
from gongkai.web.supervision.bulletin import month_figures
from gongkai.web.supervision.models import (
    Bulletin,
    Checkin,
    CheckinAnswer,
    CheckinItem,
    DigestLine,
    Finding,
    Indicator,
    OfficeSettings,
    ReportFiling,
    RosterUnit,
    YearScore,
)
from gongkai.web.transfer.export import agency_export
from gongkai.web.transfer.graph import agency_models, uncovered_models, user_keys
from gongkai.web.transfer.load import ArchiveRefused, agency_import
from gongkai.web.transfer.models import TransferRecord

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("empty_search_index")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_every_model_is_exported_or_named_as_not_agency_data():
    # A model added later with a foreign key towards an agency's records is exported by itself; one
    # without must be named in graph.NOT_AGENCY_DATA with the reason, or this fails.
    assert uncovered_models() == []
    labels = {m.label: "__".join(m.path) for m in agency_models()}
    assert labels["cases.application"] == "agency"
    assert labels["staff.personaldataaccess"] == "application__agency"
    assert labels["cases.historicalapplication"] == "agency"  # the field-level history travels too
    assert labels["disclosure.attachment"] == "publication__agency"


def _site_with_every_kind_of_record():
    """The demo's seed agencies, plus for the first one a row of every model that holds agency records."""
    agencies, _ = load_seed_data()
    create_logins(agencies[0], Agency.objects.get(full_name=ROOT_NAME))
    load_demo_publications(agencies)
    publish_demo_annual_reports(agencies)
    agency = agencies[0]
    users = {u.username: u for u in get_user_model().objects.all()}
    today = timezone.localdate()
    registration = application_register(
        agency=agency, acting_user=users["demo_intake"], applicant_type="natural_person", applicant_name="王小明",
        channel="letter", received_on=today - timedelta(days=3), information_sought="某项目环评批复",
        applicant_id_number="320102199001011234", applicant_phone="13800001111", applicant_address="南京市栖霞区某路1号",
        applicant_email="wang@example.cn")
    case = registration.application
    case.assignee = users["demo_handler"]
    case.save()
    Consultation.objects.create(application=case, party="某区自然资源局", start_on=today - timedelta(days=2),
                                end_on=today - timedelta(days=1))
    FeeNotice.objects.create(application=case, basis="per_page", pages=120, amount=100, explanation="超过 100 页",
                             issued_on=today, due_on=today + timedelta(days=20), issued_by=users["demo_handler"])
    personal_data_viewed(user=users["demo_handler"], application=case, ip_address="127.0.0.1")
    Message.objects.create(recipient=users["demo_handler"], application=case, kind="due_soon",
                           due_on=today + timedelta(days=5), text="申请即将到期")
    ProvisionalDue.objects.create(application=case, due_on=today + timedelta(days=25))
    ReplyTemplate.objects.create(agency=agency, kind="correction", body="{{ applicant_name }}：请补正。")
    online = online_application_submit(
        token="form-token-1", agency=agency, applicant_type="natural_person", applicant_name="李四",
        applicant_id_number="110101199001011234", applicant_phone="13912345678", information_sought="某文件",
        delivery_form="电子邮件")
    publication = Publication.objects.filter(agency=agency).order_by("pk").first()
    Attachment.objects.create(publication=publication, name="附件一.pdf", kind="pdf", size=len(PDF), content=PDF)
    _supervision_records(agency, users, case, publication, today)
    return agency, users, {case.number: registration.query_code, online.application.number: online.query_code}


def _supervision_records(agency, users, case, publication, today):
    """The agency as a supervising office of its own work (roster, check-in items, a check-in, a finding),
    so that one export holds a row of every supervision model, its evidence links included."""
    monday = today - timedelta(days=today.weekday())
    outside = RosterUnit.objects.create(office=agency, name="某街道办事处（未使用本系统）",
                                        portal_url="https://street.example/", liaison_name="赵联络",
                                        liaison_phone="025-12345678", reports_subtree=True)
    ReportFiling.objects.create(unit=outside, year=today.year - 1, file_name="年度报告.pdf", content=PDF,
                                sha256=hashlib.sha256(PDF).hexdigest(), report={"schema": "gongkai.annual-report/1"},
                                filed_at=timezone.now(), filed_by=users["demo_handler"], state="passed",
                                published_sha256="0" * 64, published_at=timezone.now())
    OfficeSettings.objects.create(office=agency)
    item = CheckinItem.objects.create(office=agency, text="本周是否更新专栏")
    checkin = Checkin.objects.create(office=agency, agency=agency, week_start=monday, due_at=timezone.now(),
                                     submitted_at=timezone.now(), submitted_by=users["demo_handler"])
    answer = CheckinAnswer.objects.create(checkin=checkin, item=item, item_text=item.text, answer=True, note="已更新")
    answer.publications.set([publication])
    answer.applications.set([case])
    finding = Finding.objects.create(office=agency, agency=agency, month=today.replace(day=1), kind="manual",
                                     description="专栏栏目长期未更新", due_on=today + timedelta(days=15),
                                     found_by=users["demo_handler"])
    finding.reply_publications.set([publication])
    Finding.objects.create(office=agency, roster_unit=outside, month=today.replace(day=1), kind="broken_link",
                           subject="link:https://street.example/a.html", due_on=today + timedelta(days=15),
                           description="页面 https://street.example/ 上的链接（https://street.example/a.html）打不开：HTTP 404")
    DigestLine.objects.create(recipient=users["demo_handler"], agency=agency, day=today, section="finding_overdue",
                              record=f"finding:{finding.pk}", text="巡查问题超过整改期限", url=f"/staff/supervision/findings/{finding.pk}/")
    Bulletin.objects.create(office=agency, month=today.replace(day=1), state="issued", title="关于全区政务公开工作情况的通报",
                            recipients="各单位", issuer=agency.full_name, overview="基本情况", problems="问题",
                            requirements="要求", figures=month_figures(agency, today.replace(day=1)),
                            generated_at=timezone.now(), issued_on=today, issued_at=timezone.now(),
                            issued_by=users["demo_handler"])
    Indicator.objects.create(office=agency, name="周打卡", defect="checkin_missing", points=20, deduction=2)
    YearScore.objects.create(office=agency, agency=agency, year=today.year - 1, total=98, evidence={"total": "98"},
                             finalised_at=timezone.now(), finalised_by=users["demo_handler"])


def _small_site():
    agency = AgencyFactory(full_name="导出测试街道办事处")
    intake = MembershipFactory(user=UserFactory(username="export_intake"), agency=agency, role="intake").user
    application_register(agency=agency, acting_user=intake, applicant_type="natural_person", applicant_name="王小明",
                         channel="letter", received_on=timezone.localdate(), applicant_id_number="320102199001011234")
    return agency


def _pages(agency, users) -> dict[str, str]:
    """What staff, the portal and applicants see of the agency, by address."""
    staff = Client()
    staff.force_login(get_user_model().objects.get(username="demo_handler"))
    portal = Client()
    paths = ["/staff/", "/staff/?state=registered", "/staff/appeals/", "/staff/registers/documents/",
             "/staff/registers/figures/", "/staff/publications/", "/staff/annual/", "/staff/reminders/"]
    paths += [f"/staff/cases/{pk}/" for pk in agency.applications.values_list("pk", flat=True)]
    paths += [f"/staff/appeals/{pk}/" for pk in agency.appeals.values_list("pk", flat=True)]
    paths += [f"/staff/publications/{pk}/" for pk in agency.publications.values_list("pk", flat=True)]
    paths += [f"/staff/annual/{pk}/" for pk in agency.annual_reports.values_list("pk", flat=True)]
    public = [f"/portal/{agency.pk}/", f"/portal/{agency.pk}/guide/", f"/portal/{agency.pk}/rules/",
              f"/portal/{agency.pk}/catalogue/", f"/portal/{agency.pk}/annual/", f"/portal/{agency.pk}/feed.rss",
              f"/search/?q=政府信息公开&agency={agency.pk}"]
    public += [f"/portal/{agency.pk}/annual/{year}/" for year in
               agency.annual_reports.filter(state="published").values_list("year", flat=True)]
    public += [f"/portal/publications/{pk}/" for pk in agency.publications.values_list("pk", flat=True)]
    public += [f"/portal/attachments/{pk}/" for pk in
               Attachment.objects.filter(publication__agency=agency).values_list("pk", flat=True)]
    pages = {}
    for client, group in ((staff, paths), (portal, public)):
        for path in group:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[path] = _normalized(response.content.decode("utf-8", "replace"))
    return pages


def _normalized(html: str) -> str:
    # A fresh CSRF token per response; users are matched by username, so their row ids may differ.
    # Users are matched by username on import, so their row ids (the 承办人 choices) may differ.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    names = dict(get_user_model().objects.values_list("pk", "username"))

    def by_username(select):
        return re.sub(r'value="(\d+)"', lambda m: f'value="{names[int(m.group(1))]}"', select.group(0))

    html = re.sub(r'<select name="assign-assignee".*?</select>', by_username, html, flags=re.S)
    # The search form lists every agency of the site; the other agencies were not exported.
    return re.sub(r'<select id="f-agency".*?</select>', "agencies", html, flags=re.S)


def _progress(codes: dict[str, str]) -> dict[str, str]:
    answers = {}
    for number, code in codes.items():
        response = Client().post("/shenqing/progress/", {"number": number, "query_code": code})
        assert response.status_code == 200
        answers[number] = _normalized(response.content.decode())
        assert number in answers[number]
    return answers


def _records(agency) -> dict[str, list]:
    """Every exported row as plain values, users by username."""
    names = dict(get_user_model().objects.values_list("pk", "username"))
    records = {}
    for agency_model in agency_models():
        user_fields = {f.name for f in user_keys(agency_model.model)}
        rows = serializers.serialize("python", agency_model.rows(agency))
        for row in rows:
            for name in user_fields:
                row["fields"][name] = names.get(row["fields"][name])
        records[agency_model.label] = rows
    return records


def _people(usernames) -> dict[str, tuple]:
    return {u.username: (u.first_name, u.last_name, u.email, u.is_active, u.is_staff, u.date_joined, u.last_login,
                         sorted(p.natural_key() for p in u.user_permissions.all()))
            for u in get_user_model().objects.filter(username__in=usernames)}


def _empty_the_site():
    call_command("flush", interactive=False, verbosity=0)
    with search_index() as index:
        index.rebuild([])


@pytest.mark.slow
def test_export_then_import_into_an_empty_site_gives_the_same_records_and_pages(tmp_path, office_day):
    agency, users, codes = _site_with_every_kind_of_record()
    agency_export(agency=agency, path=tmp_path / "first.zip")  # its record is part of the second export
    pages, progress = _pages(agency, users), _progress(codes)
    records = _records(agency)  # after the progress queries, which drop the query codes kept sealed for a resubmit
    members = set(agency.memberships.values_list("user__username", flat=True))
    people = _people(members | {"online-intake"})
    empty = [label for label, rows in records.items() if not rows]
    assert empty == [], f"the test site needs a row of {empty} to check their round trip"
    record = agency_export(agency=agency, path=tmp_path / "agency.zip")
    assert record.kind == "export" and record.counts["cases.application"] == agency.applications.count()
    assert TransferRecord.objects.filter(kind="export", agency=agency).count() == 2  # each export is logged

    _empty_the_site()
    assert not Agency.objects.exists() and not get_user_model().objects.exists()
    result = agency_import(path=tmp_path / "agency.zip")

    agency = Agency.objects.get(pk=agency.pk)
    assert result.agency == agency and agency.parent is None  # the parent agency is not in the archive
    imported = _records(agency)
    imported["transfer.transferrecord"] = [r for r in imported["transfer.transferrecord"]
                                           if r["fields"]["kind"] == "export"]
    assert [label for label in records if imported[label] != records[label]] == []
    assert _people(members | {"online-intake"}) == people and len(people) == len(members) + 1
    assert TransferRecord.objects.filter(kind="import", agency=agency).count() == 1
    after = _pages(agency, users)
    assert [path for path in pages if after[path] != pages[path]] == [] and len(after) == len(pages) > 60
    assert _progress(codes) == progress  # applicants follow their cases with the same query codes
    assert not get_user_model().objects.get(username="demo_handler").has_usable_password()
    assert not get_user_model().objects.filter(username="demo_supervisor").exists()  # no record of the agency names them
    # The site goes on: new rows get keys after the imported ones (PostgreSQL sequences were moved on).
    new = application_register(agency=agency, acting_user=get_user_model().objects.get(username="demo_intake"),
                               applicant_type="natural_person", applicant_name="新申请人", channel="letter",
                               received_on=office_day).application
    assert new.pk > max(r["pk"] for r in records["cases.application"])
    assert new.events.get().pk > max(r["pk"] for r in records["cases.applicationevent"])


@pytest.mark.slow
def test_the_archive_is_documented_json_lines_without_password_hashes(tmp_path, office_day):
    agency, _, _ = _site_with_every_kind_of_record()
    agency_export(agency=agency, path=tmp_path / "agency.zip")
    with zipfile.ZipFile(tmp_path / "agency.zip") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["format"] == "gongkai-agency-export" and manifest["contains_personal_data"] is True
        users = [json.loads(line) for line in zf.read("data/auth.user.jsonl").decode().splitlines()]
        cases = [json.loads(line) for line in zf.read("data/cases.application.jsonl").decode().splitlines()]
        attachment = json.loads(zf.read("data/disclosure.attachment.jsonl").decode().splitlines()[0])
        assert zf.read(attachment["fields"]["content"]["file"]) == PDF
    assert {"demo_handler", "demo_intake"} <= {u["fields"]["username"] for u in users}
    assert all("password" not in u["fields"] and "is_superuser" not in u["fields"] for u in users)
    assert "320102199001011234" in {c["fields"]["applicant_id_number"] for c in cases}
    assert {c["fields"]["assignee"] for c in cases} >= {"demo_handler"}  # users by username


def test_a_damaged_or_clashing_archive_is_refused_and_nothing_is_written(tmp_path, office_day):
    agency = _small_site()
    agency_export(agency=agency, path=tmp_path / "agency.zip")
    before = Application.objects.count()
    with pytest.raises(ArchiveRefused, match="本站已有"):  # the same site: every key is taken
        agency_import(path=tmp_path / "agency.zip")

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tmp_path / "agency.zip") as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "data/cases.application.jsonl":
                content = content.replace("王小明".encode(), "赵六".encode())
            target.writestr(item, content)
    _empty_the_site()
    with pytest.raises(ArchiveRefused, match="cases.application.jsonl 的内容与清单中的校验值不符"):
        agency_import(path=tampered)
    (tmp_path / "cut.zip").write_bytes((tmp_path / "agency.zip").read_bytes()[:5000])
    with pytest.raises(ArchiveRefused, match="不是有效的 ZIP 归档"):
        agency_import(path=tmp_path / "cut.zip")
    assert not Agency.objects.exists() and not get_user_model().objects.exists() and before > 0


def test_an_import_that_fails_half_way_writes_nothing(tmp_path, office_day):
    agency = _small_site()
    agency_export(agency=agency, path=tmp_path / "agency.zip")
    _empty_the_site()
    # A user of the site already has the number of an application in the archive: a unique clash
    # found only while writing, after the agency and the users went in.
    clash = Agency.objects.create(full_name="另一机构", kind="other")
    with zipfile.ZipFile(tmp_path / "agency.zip") as zf:
        number = json.loads(zf.read("data/cases.application.jsonl").decode().splitlines()[0])["fields"]["number"]
    Application.objects.create(pk=10_000, agency=clash, number=number, query_code_hash="x", applicant_type="natural_person",
                               applicant_name="某", channel="letter", received_on=date(2024, 1, 2),
                               registered_at=timezone.now())
    with pytest.raises(ArchiveRefused, match="未导入任何数据"):
        agency_import(path=tmp_path / "agency.zip")
    assert list(Agency.objects.values_list("full_name", flat=True)) == ["另一机构"]
    assert not get_user_model().objects.exists() and Application.objects.count() == 1


def _publication(agency, index_number, **fields):
    return Publication.objects.create(agency=agency, index_number=index_number, title=f"信息 {index_number}",
                                      formed_on=date(2024, 3, 1), genre=Genre.OTHER_DOCUMENT, article20_item=1, **fields)


def test_a_key_to_another_agencys_record_is_found_again_by_its_unique_number(tmp_path, office_day):
    agency = _small_site()
    policy = _publication(AgencyFactory(full_name="上级人民政府"), "POLICY-1")
    interpretation = _publication(agency, "INTERP-1", interprets=policy)
    agency_export(agency=agency, path=tmp_path / "agency.zip")
    with zipfile.ZipFile(tmp_path / "agency.zip") as zf:
        outside = json.loads(zf.read("manifest.json"))["outside_references"]
        row = json.loads(zf.read("data/disclosure.publication.jsonl").decode().splitlines()[0])
    assert {"model": "disclosure.publication", "pk": interpretation.pk, "field": "interprets",
            "target": "disclosure.publication", "target_pk": policy.pk,
            "target_unique": {"index_number": "POLICY-1"}} in outside
    assert row["fields"]["interprets"] is None  # never a key that means another row in the next site

    _empty_the_site()
    same_policy = _publication(AgencyFactory(pk=900, full_name="上级人民政府"), "POLICY-1", pk=900)
    result = agency_import(path=tmp_path / "agency.zip")
    assert Publication.objects.get(pk=interpretation.pk).interprets == same_policy
    assert result.linked >= 1 and "已关联" in str(result)


def test_a_row_not_as_export_writes_it_is_refused_in_chinese(tmp_path, office_day):
    agency = _small_site()
    agency_export(agency=agency, path=tmp_path / "agency.zip")
    edited = tmp_path / "edited.zip"
    with zipfile.ZipFile(tmp_path / "agency.zip") as source, zipfile.ZipFile(edited, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "data/cases.application.jsonl":  # an impossible date, checksums made to agree
                content = re.sub(rb'"received_on": "[^"]+"', b'"received_on": "2024-13-45"', content)
                entry = next(r for r in manifest["records"] if r["file"] == item.filename)
                entry["sha256"] = hashlib.sha256(content).hexdigest()
            if item.filename != "manifest.json":
                target.writestr(item, content)
        target.writestr("manifest.json", json.dumps(manifest))
    _empty_the_site()
    with pytest.raises(ArchiveRefused, match="未导入任何数据") as refused:
        agency_import(path=edited)
    assert "2024-13-45" in str(refused.value)
    assert not Agency.objects.exists() and not get_user_model().objects.exists()


def test_a_history_row_naming_a_deleted_user_is_exported_naming_nobody(tmp_path, office_day):
    agency = _small_site()
    case = agency.applications.get()
    gone = UserFactory(username="left_the_office")
    case.assignee = gone
    case.save()  # a history row with this 承办人
    case.assignee = None
    case.save()
    gone.delete()  # history keys carry no constraint: the row keeps the deleted user's id
    agency_export(agency=agency, path=tmp_path / "agency.zip")
    with zipfile.ZipFile(tmp_path / "agency.zip") as zf:
        history = [json.loads(line)["fields"] for line in
                   zf.read("data/cases.historicalapplication.jsonl").decode().splitlines()]
        users = zf.read("data/auth.user.jsonl").decode()
    assert [h["assignee"] for h in history] == [None, None, None] and "left_the_office" not in users


def test_an_archive_from_a_newer_gongkai_is_refused(tmp_path, office_day):
    agency = _small_site()
    agency_export(agency=agency, path=tmp_path / "agency.zip")
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(tmp_path / "agency.zip") as source, zipfile.ZipFile(newer, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        manifest["migrations"]["cases"].append("0099_a_field_from_the_future")
        for item in source.infolist():
            if item.filename != "manifest.json":
                target.writestr(item, source.read(item))
        target.writestr("manifest.json", json.dumps(manifest))
    _empty_the_site()
    with pytest.raises(ArchiveRefused, match="较新版本.*cases.0099_a_field_from_the_future"):
        agency_import(path=newer)
    assert not Agency.objects.exists()
