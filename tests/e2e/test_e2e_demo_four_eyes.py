"""The demo's printed accounts, one person per role, take a publication (with a 更正) and an annual report
to the portal in chromium; a person who wrote a version is told why they may not approve it, and every
waiting step names who acts next."""

import pytest

from gongkai.web.agencies.models import Membership
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.demo.load import DEMO_PASSWORD, load_demo
from gongkai.web.disclosure.models import Publication
from gongkai.web.registers.models import YearlyFigures

from .conftest import DESKTOP
from .pages import Shots, follow, staff_page, take_step

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
TITLE = "关于暂停办理户外广告设置许可的通知"
BODY = "因系统升级，9月20日至22日暂停受理户外广告设置许可申请。"
CORRECTED = "因系统升级，9月21日至23日暂停受理户外广告设置许可申请。"


def login(browser, base, username, start="/staff/"):
    return staff_page(browser, base, username, start=start, password=DEMO_PASSWORD)


def offered(page) -> set[str]:
    return {button.get_attribute("value") for button in page.locator('button[name="step"]').all()}


def portal_text(browser, url) -> str:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    text = page.locator("main").inner_text()
    context.close()
    return text


def test_demo_accounts_publish_an_item_and_a_report_with_four_eyes(browser, live_server, empty_search_index,
                                                                   tmp_path):
    load_demo(write=lambda *_: None)
    base = live_server.url
    shots = Shots(tmp_path)
    agency = Membership.objects.get(user__username="demo_handler").agency
    # The handler also holds 审核 here, as in a small office: four eyes still keep them off their own item.
    Membership.objects.create(user=Membership.objects.get(user__username="demo_handler").user, agency=agency,
                              role=Membership.Role.REVIEWER)

    # -- 承办 writes and submits; they may not approve what they submitted, and are told why and who may
    handler_ctx, handler = login(browser, base, "demo_handler", start="/staff/publications/")
    follow(handler, handler.get_by_role("link", name="撰写新信息"))
    handler.fill("#id_title", TITLE)
    handler.fill("#id_formed_on", "2026-09-14")
    handler.select_option("#id_genre", "notice")
    handler.select_option("#id_article20_item", "5")
    handler.fill("#id_body", BODY)
    follow(handler, handler.get_by_role("button", name="保存草稿"))
    take_step(handler, "submit")
    item_url = handler.url
    assert offered(handler) == {"return"}
    assert "按“双人复核”规定不能审核通过" in handler.locator("#four-eyes").inner_text()
    assert "本机构担任该岗位的有：孙丽（demo_reviewer）" in handler.locator("#waiting").inner_text()
    assert "钱进（demo_handler）撰写或提交了本版本" in handler.locator("#waiting").inner_text()
    shots.take(handler, "01-four-eyes")

    # -- 审核, 保密审查, 签发: each by the demo account of that role, each told to them by the page before
    for username, step, next_holder in [("demo_reviewer", "approve", "吴静（demo_secrecy_reviewer）"),
                                        ("demo_secrecy_reviewer", "clear", "李强（demo_signer）"),
                                        ("demo_signer", "publish", None)]:
        context, page = login(browser, base, username, start="/staff/publications/")
        page.goto(item_url)
        assert step in offered(page)
        take_step(page, step)
        if next_holder:
            assert next_holder in page.locator("#waiting").inner_text()
        context.close()
    publication = Publication.objects.get(title=TITLE)
    assert publication.is_visible()
    portal = f"{base}/portal/publications/{publication.pk}/"
    assert BODY in portal_text(browser, portal)

    # -- 更正: a new version reviewed again; the portal keeps the old text until it is signed
    handler.goto(item_url)
    handler.locator("summary", has_text="更正已发布的内容").click()
    handler.fill("#id_correct-body", CORRECTED)
    handler.fill("#id_correct-comment", "日期写错")
    take_step(handler, "correct")
    revision = publication.revisions.get()
    assert revision.state == Publication.State.REVIEW
    assert BODY in portal_text(browser, portal)
    revision_url = f"{base}/staff/publications/{revision.pk}/"
    for username, step in [("demo_reviewer", "approve"), ("demo_secrecy_reviewer", "clear")]:
        context, page = login(browser, base, username, start="/staff/publications/")
        page.goto(revision_url)
        take_step(page, step)
        context.close()
        assert BODY in portal_text(browser, portal) and CORRECTED not in portal_text(browser, portal)
    signer_ctx, signer = login(browser, base, "demo_signer", start="/staff/publications/")
    signer.goto(revision_url)
    take_step(signer, "publish")
    assert "更正已生效" in signer.locator("main").inner_text()
    assert CORRECTED in portal_text(browser, portal)

    # -- the annual report of 2025: blocked while table 二 is blank, then written, reviewed and signed
    follow(handler, handler.get_by_role("link", name="年度报告"))
    handler.locator("#id_create-agency").select_option(label=agency.full_name)
    handler.locator("#id_create-year").fill("2025")
    follow(handler, handler.get_by_role("button", name="生成草稿"))
    blockers = handler.locator("#publish-blockers").inner_text()
    assert "表二「行政许可」「本年处理决定数量」" in blockers and "licensing" not in blockers
    YearlyFigures.objects.create(agency=agency, year=2025, licensing_decisions=4, penalty_decisions=0,
                                 coercion_decisions=0, fees_amount_10k_yuan=0)  # as the 年度数据 page stores them
    take_step(handler, "refresh")
    assert handler.locator("#publish-blockers").count() == 0
    take_step(handler, "submit")
    report_url = handler.url
    assert offered(handler) == {"return"}
    assert "按“双人复核”规定不能审核通过同一版本" in handler.locator("#four-eyes").inner_text()
    shots.take(handler, "02-annual-four-eyes")
    reviewer_ctx, reviewer = login(browser, base, "demo_reviewer", start="/staff/annual/")
    reviewer.goto(report_url)
    take_step(reviewer, "approve")
    assert "李强（demo_signer）" in reviewer.locator("#waiting").inner_text()
    signer.goto(report_url)
    take_step(signer, "publish")
    assert signer.locator("#report-state").inner_text() == "已发布"
    record = AnnualReportRecord.objects.get(agency=agency, year=2025, state=AnnualReportRecord.State.PUBLISHED)
    assert "2025" in portal_text(browser, f"{base}/portal/{agency.pk}/annual/{record.year}/")
    for context in (handler_ctx, reviewer_ctx, signer_ctx):
        context.close()
