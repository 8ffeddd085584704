"""A publication is written, reviewed, cleared for secrets, signed and published through the staff pages, is
found on the portal and in search (复议, 低保), then is withdrawn with a reason and disappears from both while its
history stays on the staff page. Real pages in Debian's chromium; screenshots at phone and desktop widths."""

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.disclosure.models import DisclosureRole, Publication

from .conftest import DESKTOP
from .pages import PASSWORD, PNG_SIGNATURE, Shots, follow, staff_page, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
APPEAL_TITLE = "关于行政处罚决定救济途径的公告"
APPEAL_BODY = "当事人对本决定不服的，可以自收到之日起六十日内申请行政复议。"
WELFARE_TITLE = "关于调整城乡最低生活保障标准的通知"
WELFARE_BODY = "自2025年1月起，城乡低保标准调整为每人每月1200元。"


@pytest.fixture
def bureau(settings, tmp_path, empty_search_index):
    agency = AgencyFactory(full_name="测试区民政局", short_name="测民", kind=Agency.Kind.DEPARTMENT)
    for name, role in [("pub_writer", Membership.Role.HANDLER), ("pub_reviewer", Membership.Role.REVIEWER),
                       ("pub_signer", Membership.Role.SIGNER)]:
        MembershipFactory(user=UserFactory(username=name, password=PASSWORD), agency=agency, role=role)
    secrecy = UserFactory(username="pub_secrecy", password=PASSWORD)
    DisclosureRole.objects.create(user=secrecy, agency=agency, role=DisclosureRole.Role.SECRECY_REVIEWER)
    return agency


def open_item(page, base, title):
    page.goto(f"{base}/staff/publications/")
    follow(page, page.get_by_role("link", name=title))
    assert page.locator("#publication-title").inner_text() == title


def offered(page) -> set[str]:
    return {button.get_attribute("value") for button in page.locator('button[name="step"]').all()}


def write(page, base, title, body, attachment=None):
    page.goto(f"{base}/staff/publications/")
    follow(page, page.get_by_role("link", name="撰写新信息"))
    page.fill("#id_title", title)
    page.fill("#id_doc_number", "测民发〔2025〕1号")
    page.fill("#id_written_on", "2025-01-02")
    page.fill("#id_formed_on", "2025-01-03")
    page.select_option("#id_genre", "notice")
    page.select_option("#id_article20_item", "11")
    page.select_option("#id_catalogue_domain", "social_assistance")
    page.fill("#id_topic", "民政")
    page.fill("#id_body", body)
    if attachment:
        page.set_input_files("#id_attachments", files=[attachment])
    follow(page, page.get_by_role("button", name="保存草稿"))
    assert page.locator("#publication-title").inner_text() == title
    assert page.locator("#publication-state").inner_text() == "撰写"


def test_a_publication_goes_from_draft_to_portal_and_search_and_is_withdrawn(browser, live_server, bureau, tmp_path):
    base = live_server.url
    shots = Shots(tmp_path)

    # -- the 承办 writes two items; a wrong attachment is refused with the file named, nothing typed is lost
    writer_ctx, writer = staff_page(browser, base, "pub_writer", start="/staff/publications/")
    follow(writer, writer.get_by_role("link", name="撰写新信息"))
    writer.fill("#id_title", APPEAL_TITLE)
    writer.fill("#id_formed_on", "2025-01-03")
    writer.select_option("#id_genre", "notice")
    writer.select_option("#id_article20_item", "6")
    writer.set_input_files("#id_attachments", files=[
        {"name": "决定书.pdf", "mimeType": "application/pdf", "buffer": b"MZ not really a pdf"}])
    follow(writer, writer.get_by_role("button", name="保存草稿"))
    assert "附件「决定书.pdf」的内容不是可接受的文件类型" in writer.locator("main").inner_text()
    assert writer.input_value("#id_title") == APPEAL_TITLE
    shots.take(writer, "01-form-with-error")
    assert not Publication.objects.exists()

    write(writer, base, APPEAL_TITLE, APPEAL_BODY,
          {"name": "决定书.pdf", "mimeType": "application/pdf", "buffer": PDF})
    assert "决定书.pdf" in writer.locator("main").inner_text()
    assert offered(writer) == {"submit"}
    take_step(writer, "submit", {"#id_submit-comment": "请审核"})
    write(writer, base, WELFARE_TITLE, WELFARE_BODY)
    take_step(writer, "submit")
    assert writer.locator("#publication-state").inner_text() == "审核"
    writer.goto(f"{base}/staff/publications/")
    shots.take(writer, "02-list")

    # -- 审核, 保密审查 and 签发, each by their own user; each sees only their own step
    reviewer_ctx, reviewer = staff_page(browser, base, "pub_reviewer", start="/staff/publications/")
    secrecy_ctx, secrecy = staff_page(browser, base, "pub_secrecy", start="/staff/publications/")
    signer_ctx, signer = staff_page(browser, base, "pub_signer", start="/staff/publications/")
    for title in (APPEAL_TITLE, WELFARE_TITLE):
        open_item(reviewer, base, title)
        assert offered(reviewer) == {"approve", "return"}
        take_step(reviewer, "approve", {"#id_approve-comment": "同意公开"})
        assert reviewer.locator("#publication-state").inner_text() == "保密审查"
        open_item(secrecy, base, title)
        assert offered(secrecy) == {"clear", "return"}
        take_step(secrecy, "clear", {"#id_clear-comment": "不涉密"})
        open_item(signer, base, title)
        assert offered(signer) == {"publish", "return"}
        if title == APPEAL_TITLE:
            shots.take(signer, "03-item-signing")
        take_step(signer, "publish", {"#id_publish-comment": "签发"})
        assert signer.locator("#publication-state").inner_text() == "已发布"

    appeal = Publication.objects.get(title=APPEAL_TITLE)
    assert appeal.is_visible() and appeal.in_search_index

    # -- the public finds both on the portal, and each by its word in search, highlighted
    public_ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    public = public_ctx.new_page()
    public.goto(f"{base}/portal/{bureau.pk}/")
    assert APPEAL_TITLE in public.locator("main").inner_text()
    public.goto(f"{base}/portal/{bureau.pk}/catalogue/")
    catalogue = public.locator("main").inner_text()
    assert APPEAL_TITLE in catalogue and WELFARE_TITLE in catalogue
    public.goto(f"{base}/search/?q=复议")
    hits = public.locator(".hits > li")
    assert hits.count() == 1 and APPEAL_TITLE in hits.first.inner_text()
    assert public.locator(".hits mark").first.inner_text() == "复议"
    public.goto(f"{base}/search/?q=低保")
    assert public.locator(".hits > li").count() == 1
    assert WELFARE_TITLE in public.locator(".hits").inner_text()
    assert public.locator(".hits mark").first.inner_text() == "低保"

    # -- the 签发 withdraws the first with a reason: gone from the portal and search, history kept
    open_item(signer, base, APPEAL_TITLE)
    assert {"withdraw", "correct"} <= offered(signer)
    signer.fill("#id_withdraw-comment", "   ")  # no real reason: refused by the server, as a message
    follow(signer, 'button[name="step"][value="withdraw"]')
    assert "请写明理由" in signer.locator(".messages").inner_text()
    take_step(signer, "withdraw", {"#id_withdraw-comment": "救济期限表述有误，待更正后重新发布"})
    assert signer.locator("#publication-state").inner_text() == "已撤回"
    assert signer.locator("#withdrawn-reason").inner_text() == "救济期限表述有误，待更正后重新发布"

    public.goto(f"{base}/portal/{bureau.pk}/catalogue/")
    catalogue = public.locator("main").inner_text()
    assert APPEAL_TITLE not in catalogue and WELFARE_TITLE in catalogue
    public.goto(f"{base}/search/?q=复议")
    assert APPEAL_TITLE not in public.locator("main").inner_text()
    assert public.locator(".hits mark").count() == 0
    response = public.goto(f"{base}/portal/publications/{appeal.pk}/")
    assert response.status == 404

    writer.goto(f"{base}/staff/publications/")
    follow(writer, writer.get_by_role("link", name=APPEAL_TITLE))
    history = writer.locator("#publication-history").inner_text()
    for text in ["pub_writer", "请审核", "pub_reviewer", "同意公开", "pub_secrecy", "不涉密", "pub_signer",
                 "签发并发布", "撤回", "救济期限表述有误"]:
        assert text in history, text
    assert offered(writer) == set()
    shots.take(writer, "04-item-withdrawn-history")

    appeal.refresh_from_db()
    assert appeal.state == Publication.State.WITHDRAWN and not appeal.in_search_index
    assert list(appeal.events.values_list("action", flat=True)) == [
        "create", "add_attachment", "submit", "approve", "clear", "publish", "withdraw"]  # who added a file wrote it

    for context in [writer_ctx, reviewer_ctx, secrecy_ctx, signer_ctx, public_ctx]:
        context.close()
    assert len(shots.paths) == 8
    for path in shots.paths:
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, path
