"""Staff annual report pages: every number links to its cases, section 一 drafted from the real figures,
checks shown, roles enforced in services and pages, published versions locked, downloads open."""

import io
import json
import re
from datetime import date
from urllib.parse import unquote

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.web.factories import figures_stated

from gongkai.report.checks import check_report
from gongkai.report.model import AnnualReport
from gongkai.web.annual import services as annual
from gongkai.web.annual.build import annual_build, annual_report
from gongkai.web.annual.models import AnnualReportEvent, AnnualReportRecord
from gongkai.web.annual.overview import overview_draft
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases import services as s
from gongkai.web.disclosure.models import Article20Item, Genre, Publication
from gongkai.web.registers.models import RegulatoryDocument

State = AnnualReportRecord.State
XSS = '<script>alert("x")</script>'


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _answer(world, application, outcome, delivered_on):
    u = world.users
    a = s.application_start_review(application=application, acting_user=u["intake"])
    a = s.application_accept(application=a, acting_user=u["handler"])
    a = s.application_draft_reply(application=a, acting_user=u["handler"], outcome=outcome,
                                  withheld_reason="涉及商业秘密" if outcome == "partially_granted" else "")
    a = s.application_approve_review(application=a, acting_user=u["reviewer"])
    a = s.application_sign(application=a, acting_user=u["signer"])
    return s.application_deliver(application=a, acting_user=u["intake"], on=delivered_on)


@pytest.fixture
def handled(world):
    """2024 in the east street: four applications with known outcomes, two appeals, documents, publications."""
    u = world.users
    partial = _answer(world, world.register(received_on=date(2024, 3, 1)).application, "partially_granted",
                      date(2024, 3, 20))
    granted = _answer(world, world.register(received_on=date(2024, 4, 1), applicant_type="commercial").application,
                      "granted", date(2024, 4, 12))
    abandoned = world.register(received_on=date(2024, 6, 3), applicant_type="commercial").application
    abandoned = s.application_start_review(application=abandoned, acting_user=u["intake"])
    abandoned = s.application_request_correction(application=abandoned, acting_user=u["intake"],
                                                 requested_on=date(2024, 6, 5))
    abandoned = s.application_abandon(application=abandoned, acting_user=u["intake"], on=date(2024, 6, 28))
    still_open = world.register(received_on=date(2024, 12, 30), applicant_type="legal_service").application
    elsewhere = world.register(received_on=date(2024, 5, 6), agency=world.other_street, user=world.other_intake).application
    review = Appeal.objects.create(agency=world.street, application=partial, kind="review", case_number="复2024-1",
                                   filed_on=date(2024, 5, 1))
    lawsuit = Appeal.objects.create(agency=world.street, kind="litigation_direct", case_number="诉2024-7",
                                    filed_on=date(2024, 6, 1), result="upheld", decided_on=date(2024, 9, 1))
    issued = RegulatoryDocument.objects.create(agency=world.street, kind="normative_documents", title="东街道停车管理办法",
                                               document_number="东街发〔2024〕1号", issued_on=date(2024, 2, 1))
    repealed = RegulatoryDocument.objects.create(agency=world.street, kind="normative_documents", title="东街道旧办法",
                                                 issued_on=date(2023, 1, 5), repealed_on=date(2024, 5, 1))
    for n, (genre, formed, published) in enumerate([
        (Genre.INTERPRETATION, date(2024, 3, 1), date(2024, 3, 5)),
        (Genre.MEETING, date(2024, 4, 1), date(2024, 4, 2)),
        (Genre.MEETING, date(2024, 1, 2), date(2024, 3, 1)),  # long after 20 working days: late
        (Genre.BUDGET, date(2023, 12, 1), date(2023, 12, 5)),  # another year
    ]):
        Publication.objects.create(agency=world.street, index_number=f"EAST/{n}", title=f"公开信息{n}", genre=genre,
                                   article20_item=Article20Item.OTHER, formed_on=formed, published_on=published,
                                   state=Publication.State.PUBLISHED)
    figures_stated(world.street, 2024, licensing_decisions=12)
    return {"partial": partial, "granted": granted, "abandoned": abandoned, "open": still_open,
            "elsewhere": elsewhere, "review": review, "lawsuit": lawsuit, "issued": issued, "repealed": repealed}


def _draft(world, year=2024):
    return annual.annual_report_record_create(agency=world.street, year=year, acting_user=world.users["handler"])


def _cell_link(page: str, key: str) -> str | None:
    match = re.search(rf'data-key="{re.escape(key)}"><a href="([^"]+)">', page)
    return match.group(1) if match else None


def _case_links(page: str) -> set[str]:
    return set(re.findall(r'href="/staff/cases/\d+/">([^<]+)</a>', page))


# ---------------------------------------------------------------- build: the records behind the cells


def test_the_build_names_the_records_behind_each_cell_and_counts_as_before(handled, world):
    build = annual_build(world.street, 2024)
    assert build.report.to_json() == annual_report(world.street, 2024).to_json()
    assert build.ids("applications", "partially_granted", "natural_person") == [handled["partial"].number]
    assert build.ids("applications", "other.no_correction", "commercial") == [handled["abandoned"].number]
    assert sorted(build.ids("applications", "new", "total")) == sorted(
        handled[k].number for k in ("partial", "granted", "abandoned", "open"))
    assert build.ids("applications", "carried_forward", "legal_service") == [handled["open"].number]
    assert build.ids("appeals", "review", "pending") == [handled["review"].pk]
    assert build.ids("appeals", "litigation_direct", "upheld") == [handled["lawsuit"].pk]
    assert build.ids("proactive", "normative_documents", "issued") == [handled["issued"].pk]
    assert build.ids("proactive", "normative_documents", "repealed") == [handled["repealed"].pk]
    assert build.ids("proactive", "normative_documents", "in_force") == [handled["issued"].pk]
    for table, rows in (("applications", build.report.applications), ("appeals", build.report.appeals)):
        for row, values in rows.items():
            for column, value in (values or {}).items():
                assert len(build.ids(table, row, column)) == value, (table, row, column)
    with pytest.raises(KeyError):
        build.ids("proactive", "licensing", "decisions")  # entered by hand: no records behind it


# ---------------------------------------------------------------- cell links on the draft page


def test_every_non_zero_cell_links_to_exactly_its_cases(handled, world):
    record = _draft(world)
    client = logged_in(world.users["handler"])
    page = client.get(f"/staff/annual/{record.pk}/").content.decode()

    link = _cell_link(page, "applications.partially_granted.natural_person")
    listing = client.get(link).content.decode()
    assert _case_links(listing) == {handled["partial"].number}
    assert f'href="/staff/cases/{handled["partial"].pk}/"' in listing

    listing = client.get(_cell_link(page, "applications.new.total")).content.decode()
    assert _case_links(listing) == {handled[k].number for k in ("partial", "granted", "abandoned", "open")}
    assert handled["elsewhere"].number not in listing  # the west street's case is not ours

    listing = client.get(_cell_link(page, "applications.other.no_correction.commercial")).content.decode()
    assert _case_links(listing) == {handled["abandoned"].number}

    listing = client.get(_cell_link(page, "appeals.review.pending")).content.decode()
    assert "复2024-1" in listing and "诉2024-7" not in listing
    assert handled["partial"].number in listing  # the appeal links to its application

    listing = client.get(_cell_link(page, "appeals.litigation_direct.upheld")).content.decode()
    assert "诉2024-7" in listing and "复2024-1" not in listing

    listing = client.get(_cell_link(page, "proactive.normative_documents.repealed")).content.decode()
    assert "东街道旧办法" in listing and "东街道停车管理办法" not in listing

    # zero and hand-entered cells carry no link
    assert _cell_link(page, "applications.granted.natural_person") is None
    assert 'data-key="applications.granted.natural_person">0</td>' in page
    assert _cell_link(page, "proactive.licensing.decisions") is None


def test_a_cell_page_says_when_the_data_changed_since_the_version(handled, world):
    record = _draft(world)
    client = logged_in(world.users["handler"])
    url = f"/staff/annual/{record.pk}/cells/applications/new/natural_person/"
    page = client.get(url).content.decode()
    assert 'id="stored-count">1<' in page and 'id="current-count">1<' in page and "数据在生成本版本后有变化" not in page
    world.register(received_on=date(2024, 8, 8))
    page = client.get(url).content.decode()
    assert 'id="stored-count">1<' in page and 'id="current-count">2<' in page and "数据在生成本版本后有变化" in page


def test_unknown_cells_are_not_found(handled, world):
    record = _draft(world)
    client = logged_in(world.users["handler"])
    for cell in ("applications/nonsense/total", "applications/new/nobody", "proactive/licensing/decisions",
                 "secret/x/y", "appeals/review/nonsense"):
        assert client.get(f"/staff/annual/{record.pk}/cells/{cell}/").status_code == 404, cell


# ---------------------------------------------------------------- section 一 drafted from the figures


def test_the_overview_draft_states_the_real_figures(handled, world):
    text = overview_draft(world.street, 2024)
    assert "本年新收政府信息公开申请4件，上年结转0件" in text
    assert "本年度办结3件，其中予以公开1件、部分公开1件" in text
    assert "结转下年度继续办理1件" in text
    assert "主动公开政府信息3条，其中政策解读1条，会议2条" in text  # the 2023 budget is not counted
    assert "制发规章0件、行政规范性文件1件" in text and "废止规章0件、行政规范性文件1件" in text
    assert "现行有效规章0件、行政规范性文件1件" in text
    assert "超过条例第二十六条规定的20个工作日期限公开的1条" in text
    assert "被申请行政复议1件，被提起行政诉讼1件" in text
    record = _draft(world)
    assert record.snapshot["sections"]["overview"] == text
    report = AnnualReport.from_json(record.snapshot)
    assert [i for i in check_report(report) if i.rule.startswith("text.")] == []  # agrees with table 三


# ---------------------------------------------------------------- checks


def test_checks_are_shown_and_errors_block_submission(world):
    figures_stated(world.street, 2023)
    last_year = annual.annual_report_record_create(agency=world.street, year=2023)
    annual.annual_report_record_advance(record=last_year)
    annual.annual_report_record_advance(record=last_year)  # published: nothing carried forward
    world.register(received_on=date(2023, 12, 20))  # entered late: open at the end of 2023
    record = _draft(world)
    client = logged_in(world.users["handler"])
    page = client.get(f"/staff/annual/{record.pk}/").content.decode()
    assert "表三「自然人」列：本年「上年结转」为1件" in page and "previous.carried_over" not in page
    assert "本年「上年结转」为1件，上年报告「结转下年度继续办理」为0件" in page
    assert "存在错误，改正前不能提交审核" in page
    assert "【警告】表二：有 4 个单元格没有数字" in page  # table 二's hand-entered figures of 2024 are missing
    response = client.post(f"/staff/annual/{record.pk}/steps/submit/", follow=True)
    answer = response.content.decode()
    assert "提交审核未完成" in answer and "表三「自然人」列：本年「上年结转」为1件" in answer
    assert "previous.carried_over" not in answer
    record.refresh_from_db()
    assert record.state == State.DRAFT
    with pytest.raises(ValidationError, match="表三「自然人」列：本年「上年结转」"):
        annual.annual_report_record_submit(record=record, acting_user=world.users["handler"])


# ---------------------------------------------------------------- workflow, roles, locking, versions


def test_the_workflow_through_the_pages(handled, world):
    u = world.users
    writer, reviewer, signer = logged_in(u["handler"]), logged_in(u["reviewer"]), logged_in(u["signer"])
    response = writer.post("/staff/annual/create/", {"create-agency": world.street.pk, "create-year": 2024}, follow=True)
    record = AnnualReportRecord.objects.get(agency=world.street, year=2024)
    assert response.redirect_chain[-1][0] == f"/staff/annual/{record.pk}/"
    page = response.content.decode()
    assert '<label for="id_overview">一、总体情况' in page and "csrfmiddlewaretoken" in page

    writer.post(f"/staff/annual/{record.pk}/sections/", {
        "overview": overview_draft(world.street, 2024), "problems": f"人手不足。{XSS}", "other": "无。"})
    record.refresh_from_db()
    assert record.snapshot["sections"]["problems"] == f"人手不足。{XSS}"
    assert XSS not in writer.get(f"/staff/annual/{record.pk}/").content.decode()  # escaped

    # the reviewer may not edit or submit; the writer may not approve or publish
    assert reviewer.post(f"/staff/annual/{record.pk}/steps/submit/").status_code == 403
    assert reviewer.post(f"/staff/annual/{record.pk}/sections/", {"overview": "x"}).status_code == 403
    writer.post(f"/staff/annual/{record.pk}/steps/submit/")
    record.refresh_from_db()
    assert record.state == State.IN_REVIEW
    assert writer.post(f"/staff/annual/{record.pk}/steps/approve/").status_code == 403
    assert 'value="approve"' in reviewer.get(f"/staff/annual/{record.pk}/").content.decode()
    assert 'value="approve"' not in writer.get(f"/staff/annual/{record.pk}/").content.decode()

    # returned with a reason, then submitted again and approved
    response = reviewer.post(f"/staff/annual/{record.pk}/steps/return/", {"return-comment": ""}, follow=True)
    assert "请填写退回理由" in response.content.decode()
    reviewer.post(f"/staff/annual/{record.pk}/steps/return/", {"return-comment": "第五部分请写具体措施"})
    record.refresh_from_db()
    assert record.state == State.DRAFT
    assert "第五部分请写具体措施" in writer.get(f"/staff/annual/{record.pk}/").content.decode()
    writer.post(f"/staff/annual/{record.pk}/steps/submit/")
    reviewer.post(f"/staff/annual/{record.pk}/steps/approve/", {"approve-comment": "同意"})
    record.refresh_from_db()
    assert record.state == State.APPROVED
    assert reviewer.post(f"/staff/annual/{record.pk}/steps/publish/").status_code == 403
    signer.post(f"/staff/annual/{record.pk}/steps/publish/")
    record.refresh_from_db()
    assert record.state == State.PUBLISHED and record.published_at is not None

    actions = list(record.events.values_list("action", "acting_user__username"))
    assert actions == [("created", "east_handler"), ("sections_saved", "east_handler"), ("submitted", "east_handler"),
                       ("returned", "east_reviewer"), ("submitted", "east_handler"), ("approved", "east_reviewer"),
                       ("published", "east_signer")]


def test_a_published_version_is_locked_and_a_correction_is_a_new_version(handled, world):
    u = world.users
    record = _draft(world)
    annual.annual_report_record_submit(record=record, acting_user=u["handler"])
    annual.annual_report_record_approve(record=record, acting_user=u["reviewer"])
    record = annual.annual_report_record_publish(record=record, acting_user=u["signer"])
    published = dict(record.snapshot)

    with pytest.raises(ValidationError, match="已锁定"):
        annual.annual_report_record_save_sections(record=record, acting_user=u["handler"], overview="改过的")
    writer = logged_in(u["handler"])
    page = writer.get(f"/staff/annual/{record.pk}/").content.decode()
    assert 'aria-label="保存正文"' not in page and f'action="/staff/annual/{record.pk}/sections/"' not in page
    assert page.count("<textarea") == 1 and 'name="correct-comment"' in page  # only the correction's note
    response = writer.post(f"/staff/annual/{record.pk}/sections/", {"overview": "改过的"}, follow=True)
    assert "正文未保存" in response.content.decode()
    record.refresh_from_db()
    assert record.snapshot == published

    response = writer.post(f"/staff/annual/{record.pk}/steps/correct/", {"correct-comment": "更正错字"}, follow=True)
    correction = AnnualReportRecord.objects.get(agency=world.street, year=2024, version=2)
    assert response.redirect_chain[-1][0] == f"/staff/annual/{correction.pk}/"
    assert correction.state == State.DRAFT
    assert {k: v for k, v in correction.snapshot.items() if k != "issues"} == \
        {k: v for k, v in published.items() if k != "issues"}
    assert correction.events.get().comment == "更正第1版：更正错字"
    record.refresh_from_db()
    assert record.state == State.PUBLISHED and record.snapshot == published
    # the old version stays downloadable, and takes no more steps
    assert writer.get(f"/staff/annual/{record.pk}/download/json/").status_code == 200
    with pytest.raises(ValidationError, match="已被第2版取代"):
        annual.annual_report_record_correct(record=record, acting_user=u["handler"])
    assert 'name="step"' not in writer.get(f"/staff/annual/{record.pk}/").content.decode()


def test_refresh_from_data_makes_a_new_version_keeping_the_texts(handled, world):
    u = world.users
    record = _draft(world)
    annual.annual_report_record_save_sections(record=record, acting_user=u["handler"], overview="总体情况自写",
                                              problems="问题", other="")
    world.register(received_on=date(2024, 11, 11))
    fresh = annual.annual_report_record_refresh(record=record, acting_user=u["handler"])
    assert fresh.version == 2 and fresh.state == State.DRAFT
    assert fresh.snapshot["sections"] == {"overview": "总体情况自写", "problems": "问题", "other": None}
    assert fresh.snapshot["applications"]["new"]["total"] == record.snapshot["applications"]["new"]["total"] + 1
    assert fresh.snapshot["applications"] == annual_report(world.street, 2024).to_json()["applications"]
    record.refresh_from_db()
    assert record.version == 1 and record.state == State.DRAFT  # kept, superseded
    with pytest.raises(ValidationError, match="已被第2版取代"):
        annual.annual_report_record_submit(record=record, acting_user=u["handler"])
    response = logged_in(u["handler"]).post(f"/staff/annual/{fresh.pk}/steps/refresh/", follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/annual/{AnnualReportRecord.objects.get(version=3).pk}/"


def test_roles_are_checked_in_the_services(handled, world):
    u = world.users
    with pytest.raises(PermissionDenied, match="承办、机构管理员"):
        annual.annual_report_record_create(agency=world.street, year=2024, acting_user=u["intake"])
    with pytest.raises(PermissionDenied):
        annual.annual_report_record_create(agency=world.street, year=2024, acting_user=world.supervisor)
    record = annual.annual_report_record_create(agency=world.street, year=2024, acting_user=u["agency_admin"])
    with pytest.raises(PermissionDenied):
        annual.annual_report_record_save_sections(record=record, acting_user=u["signer"], overview="x")
    with pytest.raises(PermissionDenied):
        annual.annual_report_record_submit(record=record, acting_user=world.other_intake)
    annual.annual_report_record_submit(record=record, acting_user=u["handler"])
    with pytest.raises(PermissionDenied, match="审核"):
        annual.annual_report_record_approve(record=record, acting_user=u["signer"])
    annual.annual_report_record_approve(record=record, acting_user=u["reviewer"])
    with pytest.raises(PermissionDenied, match="签发"):
        annual.annual_report_record_publish(record=record, acting_user=u["reviewer"])
    with pytest.raises(PermissionDenied):  # advance from 审核 is approval and 签发 together
        annual.annual_report_record_advance(record=record, acting_user=u["reviewer"])
    record.refresh_from_db()
    assert record.state == State.APPROVED
    assert AnnualReportEvent.objects.filter(record=record).count() == 3


def test_create_refuses_bad_years_and_a_second_unpublished_version(world):
    client = logged_in(world.users["handler"])
    response = client.post("/staff/annual/create/", {"create-agency": world.street.pk, "create-year": 2018}, follow=True)
    assert "年度不能早于2019年" in response.content.decode()
    response = client.post("/staff/annual/create/", {"create-agency": world.street.pk, "create-year": "二〇二四"},
                           follow=True)
    assert "年度应为数字" in response.content.decode()
    with pytest.raises(ValidationError, match="年度应在2019年至"):
        annual.annual_report_record_create(agency=world.street, year=2999, acting_user=world.users["handler"])
    _draft(world)
    response = client.post("/staff/annual/create/", {"create-agency": world.street.pk, "create-year": 2024}, follow=True)
    assert "2024年度已有未发布的第1版" in response.content.decode()
    assert AnnualReportRecord.objects.count() == 1
    response = client.post("/staff/annual/create/", {"create-agency": world.other_street.pk, "create-year": 2024},
                           follow=True)
    assert "不能为该机构编写年度报告" in response.content.decode()


def test_supervisor_reads_the_subtree_and_other_agencies_get_404(handled, world):
    record = _draft(world)
    supervisor = logged_in(world.supervisor)
    listing = supervisor.get("/staff/annual/").content.decode()
    assert f'href="/staff/annual/{record.pk}/"' in listing and "生成草稿" not in listing
    page = supervisor.get(f"/staff/annual/{record.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="step"' not in text and "<textarea" not in text and "当前没有您可以执行的操作" in text
    assert supervisor.get(f"/staff/annual/{record.pk}/cells/applications/new/total/").status_code == 200
    assert supervisor.post(f"/staff/annual/{record.pk}/steps/submit/").status_code == 403
    assert supervisor.post(f"/staff/annual/{record.pk}/sections/", {"overview": "x"}).status_code == 403

    west = logged_in(world.other_intake)
    assert f"/staff/annual/{record.pk}/" not in west.get("/staff/annual/").content.decode()
    for url in (f"/staff/annual/{record.pk}/", f"/staff/annual/{record.pk}/cells/applications/new/total/",
                f"/staff/annual/{record.pk}/download/pdf/"):
        assert west.get(url).status_code == 404, url
    assert west.post(f"/staff/annual/{record.pk}/steps/submit/").status_code == 404
    record.refresh_from_db()
    assert record.state == State.DRAFT
    assert Client().get(f"/staff/annual/{record.pk}/").status_code == 302  # to the login page


# ---------------------------------------------------------------- downloads


def test_downloads_of_a_version_open(handled, world):
    record = _draft(world)
    client = logged_in(world.users["handler"])
    base = f"/staff/annual/{record.pk}/download"

    response = client.get(f"{base}/json/")
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == record.snapshot
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "测试区东街道办事处2024年政府信息公开工作年度报告-第1版.json" in unquote(disposition)

    response = client.get(f"{base}/pdf/")
    assert response.content.startswith(b"%PDF") and response["Content-Type"] == "application/pdf"

    response = client.get(f"{base}/docx/")
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "测试区东街道办事处2024年政府信息公开工作年度报告" in text
    assert "本年新收政府信息公开申请4件" in text

    response = client.get(f"{base}/html/")
    assert "<title>测试区东街道办事处2024年政府信息公开工作年度报告</title>" in response.content.decode()
    assert client.get(f"{base}/exe/").status_code == 404


def test_a_2020_report_uses_the_2019_layout_and_still_links_table_three(world):
    application = world.register(received_on=date(2020, 6, 1)).application
    record = _draft(world, year=2020)
    client = logged_in(world.users["handler"])
    page = client.get(f"/staff/annual/{record.pk}/").content.decode()
    assert "其他对外管理服务事项" in page and 'data-key="proactive_2019.licensing.previous_items"' in page
    assert 'data-key="applications.other.total">0</td>' in page  # the single （六）其他处理 row of 2019
    listing = client.get(_cell_link(page, "applications.carried_forward.natural_person")).content.decode()
    assert _case_links(listing) == {application.number}
    assert client.get(f"/staff/annual/{record.pk}/cells/proactive/rules/issued/").status_code == 404
