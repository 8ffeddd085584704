"""The public portal in Debian's chromium: items that passed the real review steps, search with highlights,
the annual report of a year, phone width and keyboard use. Screenshots at phone and desktop widths."""

import struct
from datetime import date

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory, figures_stated

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.services import annual_report_record_advance, annual_report_record_create
from gongkai.web.cases.services import application_register
from gongkai.web.disclosure import services
from gongkai.web.disclosure.demo_guide import demo_guide, demo_rules
from gongkai.web.disclosure.models import (
    AgencyDisclosure,
    Article20Item,
    CatalogueDomain,
    DisclosureRole,
    Genre,
    Publication,
)

from .conftest import DESKTOP, PHONE
from .pages import follow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
Role = Membership.Role

# Relative luminance contrast of a text element against the first opaque background behind it (WCAG 2).
CONTRAST_JS = """
(selector) => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  return [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null).map((el) => {
    let node = el, bg = null;
    while (node && node.nodeType === 1) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) { bg = c; break; }
      node = node.parentElement;
    }
    bg = bg || [255, 255, 255];
    const fg = parse(getComputedStyle(el).color);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return {text: el.textContent.trim().slice(0, 20), ratio: (a + 0.05) / (b + 0.05)};
  });
}
"""
UNLABELLED_FIELDS_JS = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => el.labels.length === 0 || !el.labels[0].textContent.trim()).map((el) => el.outerHTML)
"""


@pytest.fixture
def portal(settings, tmp_path, empty_search_index):
    """An agency with items written, reviewed, cleared and signed by four people, and a published 2024 report."""
    agency = AgencyFactory(full_name="测试区民政局", short_name="测民", kind=Agency.Kind.DEPARTMENT)
    people = {role: MembershipFactory(user=UserFactory(username=f"p_{role}"), agency=agency, role=role).user
              for role in (Role.INTAKE, Role.HANDLER, Role.REVIEWER, Role.SIGNER)}
    secrecy = UserFactory(username="p_secrecy")
    DisclosureRole.objects.create(user=secrecy, agency=agency, role=DisclosureRole.Role.SECRECY_REVIEWER)
    AgencyDisclosure.objects.create(agency=agency, agency_code="CMZ", guide=demo_guide(agency.full_name),
                                    rules=demo_rules(agency.full_name))

    def release(title, body, **fields):
        fields = {"genre": Genre.NORMATIVE_DOCUMENT, "article20_item": Article20Item.REGULATIONS,
                  "formed_on": date(2024, 9, 2), **fields}
        publication = services.publication_create(agency=agency, acting_user=people[Role.HANDLER], title=title,
                                                  body=body, **fields)
        publication = services.publication_submit(publication=publication, acting_user=people[Role.HANDLER])
        publication = services.publication_approve(publication=publication, acting_user=people[Role.REVIEWER],
                                                   comment="同意")
        publication = services.publication_clear(publication=publication, acting_user=secrecy, comment="不涉密")
        return services.publication_publish(publication=publication, acting_user=people[Role.SIGNER], comment="签发")

    release("关于调整城乡低保标准的通知", "自2024年10月起提高城乡最低生活保障（低保）标准。",
            doc_number="测民规〔2024〕3号", catalogue_domain=CatalogueDomain.SOCIAL_ASSISTANCE,
            catalogue_matter="最低生活保障")
    release("政府信息公开申请答复的行政复议告知", "申请人对答复不服的，可以依法申请行政复议或者提起行政诉讼。",
            genre=Genre.NOTICE, article20_item=Article20Item.OTHER)
    for n in range(1, 6):
        release(f"2024年第{n}批临时救助资金发放公示", f"第{n}批临时救助资金已发放，公示期7日。",
                genre=Genre.NOTICE, article20_item=Article20Item.OTHER,
                catalogue_domain=CatalogueDomain.SOCIAL_ASSISTANCE, column="民生实事")
    draft = services.publication_create(agency=agency, acting_user=people[Role.HANDLER], title="未审核的低保草稿",
                                        body="低保草稿，不得公开。", genre=Genre.NOTICE,
                                        article20_item=Article20Item.OTHER, formed_on=date(2024, 9, 3))

    for day in (3, 10, 17):  # table 三: three applications by natural persons received in 2024
        application_register(agency=agency, acting_user=people[Role.INTAKE], applicant_type="natural_person",
                             applicant_name="张三", channel="online", received_on=date(2024, 6, day),
                             information_sought="低保资金发放名单")
    figures_stated(agency, 2024)  # table 二 stated: a report with blank cells is not published
    report = annual_report_record_create(agency=agency, year=2024)
    while report.state != AnnualReportRecord.State.PUBLISHED:
        report = annual_report_record_advance(record=report)
    newer_draft = annual_report_record_create(agency=agency, year=2024)  # version 2, never published
    assert Publication.objects.filter(agency=agency, state=Publication.State.PUBLISHED).count() == 7
    return {"agency": agency, "draft": draft, "report": report, "newer_draft": newer_draft}


def png_width(path) -> int:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), path
    return struct.unpack(">I", data[16:20])[0]  # IHDR width


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_portal_pages_at_phone_and_desktop_widths(browser, live_server, portal, tmp_path):
    agency = portal["agency"]
    base = live_server.url
    pages = {
        "portal-home": f"/portal/{agency.pk}/",
        "catalogue": f"/portal/{agency.pk}/catalogue/?domain=social_assistance",
        "search": "/search/?q=低保",
    }
    shots = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=size, locale="zh-CN")
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(base + path)
            assert response.status == 200, path
            assert page.evaluate("document.documentElement.lang") == "zh-Hans"
            if label == "phone":
                assert no_horizontal_scroll(page), path
            shot = tmp_path / f"{name}-{label}.png"
            page.screenshot(path=str(shot), full_page=True)
            shots.append((shot, size["width"]))
        context.close()
    assert len(shots) == 6
    for shot, width in shots:
        assert png_width(shot) == width and shot.stat().st_size > 5000, shot


def test_search_for_two_character_words_highlights_the_match(browser, live_server, portal):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/{portal['agency'].pk}/")
    page.get_by_label("全文检索").fill("复议")
    page.get_by_label("全文检索").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("status").inner_text() == "找到 1 条结果"
    hit = page.locator(".hits li").first
    assert "行政复议告知" in hit.inner_text()
    assert {mark.inner_text() for mark in hit.locator("mark").all()} == {"复议"}

    page.goto(f"{live_server.url}/search/?q=低保")
    titles = page.locator(".hits h2").all_inner_texts()
    assert titles == ["关于调整城乡低保标准的通知"]  # the unreviewed draft about 低保 is not found
    assert page.locator(".hits h2 mark").inner_text() == "低保"
    follow(page, page.locator(".hits h2 a"))
    assert page.locator("h1").inner_text() == "关于调整城乡低保标准的通知"
    assert "测民规〔2024〕3号" in page.locator(".meta-table").inner_text()
    context.close()


def test_keyboard_reaches_skip_link_first_then_a_labelled_search_box(browser, live_server, portal):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/{portal['agency'].pk}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("({cls: document.activeElement.className, text: document.activeElement.textContent,"
                            " href: document.activeElement.getAttribute('href')})")
    assert focused == {"cls": "skip", "text": "跳到主要内容", "href": "#main"}
    skip_box = page.locator(".skip").bounding_box()
    assert skip_box["x"] >= 0 and skip_box["y"] >= 0  # it comes into view when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # visible keyboard focus

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(f"{live_server.url}/portal/{portal['agency'].pk}/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-q":
            break
    else:
        pytest.fail("按 Tab 键无法到达检索框")
    assert page.evaluate("document.activeElement.labels[0].textContent") == "全文检索"
    page.keyboard.type("低保")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".hits mark").first.inner_text() == "低保"
    context.close()


def test_every_portal_page_fits_a_phone_has_labelled_fields_and_readable_contrast(browser, live_server, portal,
                                                                                   tmp_path):
    agency = portal["agency"]
    publication = Publication.objects.filter(agency=agency, state=Publication.State.PUBLISHED).first()
    paths = ["/portal/", f"/portal/{agency.pk}/", f"/portal/{agency.pk}/guide/", f"/portal/{agency.pk}/rules/",
             f"/portal/{agency.pk}/catalogue/", f"/portal/{agency.pk}/annual/", f"/portal/{agency.pk}/annual/2024/",
             f"/portal/publications/{publication.pk}/", "/search/?q=低保", "/search/"]
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    for n, path in enumerate(paths):
        assert page.goto(live_server.url + path).status == 200, path
        assert no_horizontal_scroll(page), path
        page.screenshot(path=str(tmp_path / f"phone-{n:02d}.png"), full_page=True)
        assert page.evaluate(UNLABELLED_FIELDS_JS) == [], path
        for landmark in ("header", "nav", "main", "footer"):
            assert page.locator(landmark).count() >= 1, (path, landmark)
        low = [item for item in page.evaluate(CONTRAST_JS, "p, li, a, h1, h2, h3, label, button, th, td, mark, span")
               if item["text"] and item["ratio"] < 4.5]
        assert low == [], (path, low)
    context.close()


def test_annual_report_page_shows_the_published_numbers_and_downloads_its_pdf(browser, live_server, portal,
                                                                              tmp_path):
    agency, report = portal["agency"], portal["report"]
    assert report.snapshot["applications"]["new"]["natural_person"] == 3
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/{agency.pk}/")
    follow(page, page.get_by_role("link", name="测试区民政局2024年政府信息公开工作年度报告"))
    assert page.url.endswith(f"/portal/{agency.pk}/annual/2024/")
    assert page.locator("h1").inner_text() == "测试区民政局2024年政府信息公开工作年度报告"
    for key in ("applications.new.natural_person", "applications.new.total", "applications.carried_forward.total"):
        assert page.locator(f'td[data-key="{key}"]').inner_text() == "3", key
    assert "第 1 版" in page.locator(".report-info").inner_text()
    page.screenshot(path=str(tmp_path / "annual-desktop.png"), full_page=True)
    with page.expect_download() as download_info:
        page.locator(".downloads").get_by_role("link", name="PDF").click()
    download = download_info.value
    pdf = tmp_path / "report.pdf"
    download.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF") and download.suggested_filename.endswith("第1版.pdf")

    newer = portal["newer_draft"]
    assert newer.state == AnnualReportRecord.State.DRAFT and newer.version == 2
    for path in (f"/portal/{agency.pk}/annual/2024/v2/", f"/portal/{agency.pk}/annual/2024/v2.pdf",
                 f"/portal/{agency.pk}/annual/2023/"):
        assert page.goto(live_server.url + path).status == 404, path
    assert page.goto(f"{live_server.url}/portal/{agency.pk}/annual/").status == 200
    assert page.locator("text=第 2 版").count() == 0
    assert page.goto(f"{live_server.url}/portal/publications/{portal['draft'].pk}/").status == 404
    context.close()
