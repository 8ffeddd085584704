"""Staff issue a 收费通知 on the case page, record the payment, draft a 部分公开 answer and
download the letters as PDF and DOCX from the page. Real pages, real browser, screenshots at
phone and desktop widths."""

import io
import re
import subprocess
from datetime import date

import docx
import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.cases import services as s
from gongkai.web.cases.models import Application
from gongkai.web.staff.models import PersonalDataAccess

from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case_in_handling():
    district = AgencyFactory(full_name="测试区人民政府", kind=Agency.Kind.GOVERNMENT)
    street = AgencyFactory(full_name="测试区东街道办事处", short_name="东街", parent=district)
    users = {role.value: MembershipFactory(user=UserFactory(username=f"e2e_{role.value}", password=PASSWORD),
                                           agency=street, role=role).user
             for role in (Membership.Role.INTAKE, Membership.Role.HANDLER)}
    application = s.application_register(
        agency=street, acting_user=users["intake"], applicant_type="natural_person", applicant_name="李四",
        channel="letter", received_on=date(2024, 3, 4), information_sought="2023年东街道道路维修合同",
        applicant_id_number="110101199001011234", applicant_phone="13912345678").application
    application = s.application_start_review(application=application, acting_user=users["intake"])
    return s.application_accept(application=application, acting_user=users["handler"])


def test_fee_notice_payment_and_answer_letters_from_the_case_page(browser, live_server, case_in_handling, tmp_path):
    application = case_in_handling
    base, shots = live_server.url, Shots(tmp_path)

    handler_ctx, handler = staff_page(browser, base, "e2e_handler")
    follow(handler, handler.get_by_role("link", name=application.number))
    handler.select_option("#id_issue_fee_notice-basis", "per_page")
    take_step(handler, "issue_fee_notice", {"#id_issue_fee_notice-pages": "150",
                                            "#id_issue_fee_notice-issued_on": "2024-03-25"})
    assert handler.locator("#case-state").inner_text() == "待缴纳信息处理费"
    assert "1700 元" in handler.locator("#fee-notices").inner_text()  # 70 × 10 + 50 × 20
    shots.take(handler, "01-fee-notice")
    fee_links = handler.locator("#case-letters li", has_text="收费通知书")
    with handler.expect_download() as info:
        fee_links.get_by_role("link", name="PDF").click()
    pdf_path = tmp_path / "fee.pdf"
    info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],
                                             capture_output=True, text=True, check=True).stdout)
    assert "信息处理费1700元" in text and "第四十二条" in text and "李四：" in text

    intake_ctx, intake = staff_page(browser, base, "e2e_intake")
    follow(intake, intake.get_by_role("link", name=application.number))
    take_step(intake, "record_fee_payment", {"#id_record_fee_payment-paid_on": "2024-04-01"})
    assert intake.locator("#case-state").inner_text() == "承办/检索"

    handler.reload()
    handler.select_option("#id_draft_reply-outcome", "partially_granted")
    take_step(handler, "draft_reply", {"#id_draft_reply-withheld_reason": "合同第5页载有第三方银行账户，不予公开"})
    shots.take(handler, "02-letters")
    reply_links = handler.locator("#case-letters li", has_text="下载答复告知书")
    with handler.expect_download() as info:
        reply_links.get_by_role("link", name="DOCX").click()
    assert info.value.suggested_filename == f"{application.number}-政府信息公开申请答复告知书.docx"
    docx_path = tmp_path / "reply.docx"
    info.value.save_as(docx_path)
    letter = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_path.read_bytes())).paragraphs)
    assert "第三十七条" in letter and "合同第5页载有第三方银行账户，不予公开" in letter
    assert "东街公开答〔2024〕" in letter and "110101199001011234" not in letter

    assert PersonalDataAccess.objects.filter(application=application).count() == 2
    assert Application.objects.get(pk=application.pk).state == Application.State.DRAFTED
    for context in (handler_ctx, intake_ctx):
        context.close()
    assert len(shots.paths) == 4
    for path in shots.paths:
        assert path.read_bytes().startswith(PNG_SIGNATURE), path
