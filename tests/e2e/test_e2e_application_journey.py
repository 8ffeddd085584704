"""A member of the public applies online; staff take the application through every statutory step; the
applicant sees the outcome. Real pages, real browser, screenshots at phone and desktop widths."""

import re

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.report import taxonomy as tx
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.cases.models import Application
from gongkai.web.staff.models import PersonalDataAccess

from .conftest import DESKTOP
from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

XSS_NAME = '王五<script>document.title="pwned"</script>'


@pytest.fixture
def district():
    district = AgencyFactory(full_name="测试区人民政府", kind=Agency.Kind.GOVERNMENT)
    street = AgencyFactory(full_name="测试区东街道办事处", parent=district)
    users = {}
    for role in [Membership.Role.INTAKE, Membership.Role.HANDLER, Membership.Role.REVIEWER, Membership.Role.SIGNER]:
        users[role.value] = MembershipFactory(user=UserFactory(username=f"e2e_{role.value}", password=PASSWORD),
                                              agency=street, role=role).user
    return street, users


def test_an_online_application_goes_from_the_form_to_the_answer(browser, live_server, district, tmp_path):
    street, users = district
    base = live_server.url
    shots = Shots(tmp_path)

    # -- the applicant applies online
    public = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = public.new_page()
    page.goto(f"{base}/shenqing/")
    assert page.title().startswith("在线申请政府信息公开")
    shots.take(page, "01-form")
    page.get_by_label("受理机构").select_option(label=street.full_name)
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill(XSS_NAME)
    page.get_by_label("身份证件号码或统一社会信用代码").fill("110101199001011234")
    page.get_by_label("联系电话").fill("13912345678")
    page.get_by_label("通信地址").fill("北京市东城区东街道幸福里3号楼")
    page.get_by_label("电子邮箱").fill("wang@example.cn")
    page.get_by_label("所需政府信息的名称").fill("2024年东街道老旧小区改造资金使用情况")
    page.get_by_label("申请用途（选填）").fill("了解改造资金去向")
    page.get_by_label("电子邮件").check()
    follow(page, page.get_by_role("button", name="提交申请"))
    page.wait_for_url(re.compile(r".*/shenqing/done/.*"))
    number = page.locator("#application-number").inner_text().strip()
    query_code = page.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"GK\d{3,}-\d{4}-\d{5}", number) and re.fullmatch(r"[A-Z2-9]{8}", query_code)
    shots.take(page, "02-done")
    page.reload()
    assert page.locator("#query-code").count() == 0  # shown once
    application = Application.objects.get(number=number)
    assert application.channel == Application.Channel.ONLINE

    # -- staff, each with their own role, take it through every step
    intake_ctx, intake = staff_page(browser, base, "e2e_intake")
    follow(intake, intake.get_by_role("link", name=number))
    assert intake.locator("#applicant-name").inner_text() == XSS_NAME  # shown as text, not run
    assert intake.title() != "pwned"
    assert "110***********1234" in intake.locator("#personal-id").inner_text()
    shots.take(intake, "03-case-intake")
    take_step(intake, "start_review")
    take_step(intake, "request_correction")
    assert intake.locator("#case-state").inner_text() == "待补正"
    take_step(intake, "receive_correction")
    follow(intake, "#show-personal")
    assert intake.locator("#personal-id").inner_text() == "110101199001011234"
    assert PersonalDataAccess.objects.filter(application=application, user=users["intake"]).count() == 1

    handler_ctx, handler = staff_page(browser, base, "e2e_handler")
    shots.take(handler, "04-my-cases")
    follow(handler, handler.get_by_role("link", name=number))
    take_step(handler, "accept")
    take_step(handler, "start_consultation", {"#id_start_consultation-party": "东街道房管所"})
    assert handler.locator("#case-state").inner_text() == "征求意见"
    take_step(handler, "end_consultation")
    take_step(handler, "draft_reply", {"#id_draft_reply-outcome": "granted"})

    reviewer_ctx, reviewer = staff_page(browser, base, "e2e_reviewer")
    follow(reviewer, reviewer.get_by_role("link", name=number))
    assert {b.get_attribute("value") for b in reviewer.locator('button[name="step"]').all()} == {
        "approve_review", "return_for_rework"}
    take_step(reviewer, "approve_review")

    signer_ctx, signer = staff_page(browser, base, "e2e_signer")
    follow(signer, signer.get_by_role("link", name=number))
    take_step(signer, "sign")

    intake.reload()
    take_step(intake, "deliver")
    assert intake.locator("#case-state").inner_text() == "送达"
    shots.take(intake, "05-case-delivered")

    application.refresh_from_db()
    assert application.state == Application.State.DELIVERED and application.outcome == "granted"
    assert list(application.events.values_list("action", flat=True)) == [
        "register", "start_review", "request_correction", "receive_correction", "accept", "start_consultation",
        "end_consultation", "draft_reply", "approve_review", "sign", "deliver"]

    # -- the applicant sees the outcome
    page.goto(f"{base}/shenqing/progress/")
    page.get_by_label("申请编号").fill(number)
    page.get_by_label("查询码").fill(query_code)
    follow(page, page.get_by_role("button", name="查询"))
    assert page.locator("#progress-state").inner_text() == "送达"
    assert page.locator("#progress-outcome").inner_text() == tx.outcome_short_label("granted")
    assert "王五" not in page.content()  # nothing else about the case
    shots.take(page, "06-progress")

    for context in [public, intake_ctx, handler_ctx, reviewer_ctx, signer_ctx]:
        context.close()
    assert len(shots.paths) == 12
    for path in shots.paths:
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, path
