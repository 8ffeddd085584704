"""The 答复告知书 as the applicant reads it: the 结果说明 and the 不予公开的部分及理由 each under their own
heading, and a PDF whose signature (agency and date) never stands alone on a page."""

import subprocess

from django.test import Client
from tests.web.test_answer_letters import drafted, register

from gongkai.web.cases import services as s
from gongkai.web.cases.letters.compose import compose_letter
from gongkai.web.cases.letters.documents import letter_pdf
from gongkai.web.cases.models import Application


def pdf_pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return ["".join(page.split()) for page in text.split("\f") if page.strip()]


def test_a_partial_disclosure_prints_the_note_under_part_one_and_the_reason_under_part_two(world):
    application = drafted(world, "partially_granted", "已提供2024年度补偿方案正文",
                          withheld_reason="附件3载有第三方个人信息，依据条例第十五条不予公开")
    text = compose_letter(application, "reply").text()
    part_one, part_two = text.split("一、可以公开的部分", 1)[1].split("二、不予公开的部分及理由", 1)
    assert "已提供2024年度补偿方案正文" in part_one and "已提供2024年度补偿方案正文" not in part_two
    assert "附件3载有第三方个人信息" in part_two and "附件3载有第三方个人信息" not in part_one


def test_the_answer_form_asks_for_each_under_the_name_the_letter_prints(world):
    u = world.users
    application = s.application_start_review(application=register(world), acting_user=u["intake"])
    application = s.application_accept(application=application, acting_user=u["handler"])
    client = Client()
    client.force_login(u["handler"])
    page = client.get(f"/staff/cases/{application.pk}/").content.decode()
    assert "不予公开的部分及理由（部分公开时必填）" in page and "结果说明（部分公开时必填）" not in page
    refused = client.post(f"/staff/cases/{application.pk}/steps/draft_reply/", {
        "draft_reply-outcome": "partially_granted", "draft_reply-note": "已提供方案正文"}, follow=True)
    assert "部分公开须说明不予公开的部分及理由" in refused.content.decode()
    client.post(f"/staff/cases/{application.pk}/steps/draft_reply/", {
        "draft_reply-outcome": "partially_granted", "draft_reply-note": "已提供方案正文",
        "draft_reply-withheld_reason": "附件涉及商业秘密"})
    application = Application.objects.get(pk=application.pk)
    assert (application.outcome_note, application.withheld_reason) == ("已提供方案正文", "附件涉及商业秘密")


def test_the_signature_never_stands_alone_on_the_pdfs_last_page(world, tmp_path):
    application = drafted(world, "granted")
    closing = compose_letter(application, "reply").remedies
    breaks = 0
    # Requests long enough to push the letter's end across the page: at some of these lengths the
    # agency name and the date alone used to fall onto page 2.
    for repeats in range(10, 34, 2):
        Application.objects.filter(pk=application.pk).update(information_sought="拆迁补偿方案" * repeats)
        pages = pdf_pages(letter_pdf(compose_letter(Application.objects.get(pk=application.pk), "reply")), tmp_path)
        assert application.agency.full_name in pages[-1]  # the signature is on the last page
        if len(pages) > 1:
            breaks += 1
            assert closing[:20] in pages[-1], (repeats, pages[-1])  # with the last paragraph
    assert breaks, "no length tried made the letter run onto a second page"
