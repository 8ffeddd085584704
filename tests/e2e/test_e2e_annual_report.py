"""Staff write the annual report in chromium: draft from handled cases, follow a number of table 三 to
its case, write sections, submit, review, publish, download; the JSON holds the database's numbers."""

import json
from datetime import date
from pathlib import Path

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory, figures_stated

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.annual.build import annual_report
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.cases import services as s
from gongkai.web.cases.services import application_register

from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
Role = Membership.Role


@pytest.fixture
def street_with_cases():
    """The east street's 2024: one partly granted (自然人), one granted (商业企业), one still open."""
    district = AgencyFactory(full_name="测试区人民政府", kind=Agency.Kind.GOVERNMENT)
    street = AgencyFactory(full_name="测试区东街道办事处", parent=district)
    users = {role: MembershipFactory(user=UserFactory(username=f"annual_{role}", password=PASSWORD),
                                     agency=street, role=role).user
             for role in (Role.INTAKE, Role.HANDLER, Role.REVIEWER, Role.SIGNER)}

    def register(received_on, applicant_type):
        return application_register(agency=street, acting_user=users[Role.INTAKE], applicant_type=applicant_type,
                                    applicant_name="李四", channel="letter", received_on=received_on,
                                    information_sought="东街道道路维修合同").application

    def answer(application, outcome, on):
        a = s.application_start_review(application=application, acting_user=users[Role.INTAKE])
        a = s.application_accept(application=a, acting_user=users[Role.HANDLER])
        a = s.application_draft_reply(application=a, acting_user=users[Role.HANDLER], outcome=outcome,
                                      withheld_reason="部分内容涉及个人隐私" if outcome == "partially_granted" else "")
        a = s.application_approve_review(application=a, acting_user=users[Role.REVIEWER])
        a = s.application_sign(application=a, acting_user=users[Role.SIGNER])
        return s.application_deliver(application=a, acting_user=users[Role.INTAKE], on=on)

    partial = answer(register(date(2024, 3, 4), "natural_person"), "partially_granted", date(2024, 3, 22))
    answer(register(date(2024, 5, 6), "commercial"), "granted", date(2024, 5, 17))
    register(date(2024, 12, 27), "natural_person")
    figures_stated(street, 2024)  # table 二's hand-entered figures (a blank cell blocks publication)
    return street, partial


def _step(page, key, fields=None):
    for label, value in (fields or {}).items():
        page.get_by_label(label, exact=True).fill(value)
    follow(page, f'button[name="step"][value="{key}"]')
    assert page.locator(".messages li.success").count() == 1, page.locator(".messages").inner_text()


def test_staff_write_review_publish_and_download_the_annual_report(browser, live_server, street_with_cases, tmp_path):
    street, partial = street_with_cases
    base = live_server.url
    shots = Shots(tmp_path)

    # -- the handler creates the 2024 draft
    handler_ctx, handler = staff_page(browser, base, "annual_handler")
    follow(handler, handler.get_by_role("link", name="年度报告"))
    handler.locator("#id_create-agency").select_option(label=street.full_name)
    handler.locator("#id_create-year").fill("2024")
    follow(handler, handler.get_by_role("button", name="生成草稿"))
    assert handler.locator("#report-state").inner_text() == "草稿"
    overview = handler.get_by_label("一、总体情况").input_value()
    assert "本年新收政府信息公开申请3件" in overview and "结转下年度继续办理1件" in overview
    shots.take(handler, "01-draft")

    # -- a number of table 三 leads to the case behind it
    follow(handler, 'td[data-key="applications.partially_granted.natural_person"] a')
    assert handler.locator("#cell-records tbody tr").count() == 1
    shots.take(handler, "02-cell")
    follow(handler, handler.get_by_role("link", name=partial.number))
    assert handler.locator("h1").inner_text() == f"申请 {partial.number}"
    handler.go_back()
    handler.go_back()
    handler.wait_for_load_state()

    # -- sections written, then submitted
    handler.get_by_label("五、存在的主要问题及改进情况").fill("依申请公开答复文书的说理还需加强。下一步将开展业务培训。")
    handler.get_by_label("六、其他需要报告的事项").fill("本年度未收取信息处理费。")
    follow(handler, handler.get_by_role("button", name="保存正文"))
    assert handler.locator(".messages li.success").inner_text() == "正文已保存"
    _step(handler, "submit")
    assert handler.locator("#report-state").inner_text() == "审核"
    report_url = handler.url

    # -- the reviewer approves, the signer publishes
    reviewer_ctx, reviewer = staff_page(browser, base, "annual_reviewer")
    reviewer.goto(report_url)
    assert {b.get_attribute("value") for b in reviewer.locator('button[name="step"]').all()} == {"approve", "return"}
    _step(reviewer, "approve", {"说明": "同意发布"})
    signer_ctx, signer = staff_page(browser, base, "annual_signer")
    signer.goto(report_url)
    _step(signer, "publish")
    assert signer.locator("#report-state").inner_text() == "已发布"
    assert signer.locator("textarea").count() == 0 and signer.locator('button[name="step"]').count() == 0
    shots.take(signer, "03-published")

    # -- downloads: the PDF, and the JSON with the database's numbers
    with signer.expect_download() as pdf_download:
        signer.click('a[data-format="pdf"]')
    assert pdf_download.value.suggested_filename == "测试区东街道办事处2024年政府信息公开工作年度报告-第1版.pdf"
    assert Path(pdf_download.value.path()).read_bytes().startswith(b"%PDF")
    with signer.expect_download() as json_download:
        signer.click('a[data-format="json"]')
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    expected = annual_report(street, 2024).to_json()
    for table in ("applications", "appeals", "proactive"):
        assert data[table] == expected[table], table
    assert data["sections"]["other"] == "本年度未收取信息处理费。"

    record = AnnualReportRecord.objects.get(agency=street, year=2024)
    assert record.state == AnnualReportRecord.State.PUBLISHED and record.is_locked
    assert list(record.events.values_list("action", "acting_user__username")) == [
        ("created", "annual_handler"), ("sections_saved", "annual_handler"), ("submitted", "annual_handler"),
        ("approved", "annual_reviewer"), ("published", "annual_signer")]

    for context in (handler_ctx, reviewer_ctx, signer_ctx):
        context.close()
    assert len(shots.paths) == 6
    for path in shots.paths:
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, path
