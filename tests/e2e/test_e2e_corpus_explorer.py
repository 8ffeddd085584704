"""The corpus explorer in Debian's chromium: from the staff nav to /corpus/ with its charts drawn (no CSP
violation), a year chosen, a figure opened to its reports, one report and its source file."""

import hashlib
from pathlib import Path

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Membership

from .pages import Shots, follow, staff_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_corpus(settings, tmp_path):
    from gongkai.web.demo.corpus import load_demo_corpus

    settings.GONGKAI_CORPUS_DIR, settings.GONGKAI_CORPUS_SOURCES = tmp_path / "corpus", [tmp_path / "sources"]
    load_demo_corpus(write=lambda *_: None)
    return tmp_path


def test_explore_the_corpus_down_to_a_source_file(browser, live_server, demo_corpus, e2e_output):
    agency = AgencyFactory(full_name="测试区人民政府办公室")
    MembershipFactory(user=UserFactory(username="corpus_reader"), agency=agency, role=Membership.Role.HANDLER)
    _, page = staff_page(browser, live_server.url, "corpus_reader")
    follow(page, "nav >> text=报告语料库")
    assert page.url.endswith("/corpus/")
    page.wait_for_selector("[data-chart-drawn='1']")
    assert page.locator("[data-chart-option]").count() == page.locator("[data-chart-drawn='1']").count() == 4
    assert page.locator("canvas").count() >= 4  # ECharts really drew

    page.select_option("select[name=year]", "2023")
    follow(page, "button:has-text('筛选')")
    assert "year=2023" in page.url
    assert "2023 年度 表三" in page.locator("h2#t3").inner_text()
    page.wait_for_selector("[data-chart-drawn='1']")
    shots = Shots(e2e_output)
    shots.take(page, "corpus", fit=True)

    figure = page.locator("td[data-key='applications.new.total'] a")
    shown = int(figure.inner_text().replace(",", ""))
    follow(page, figure)
    assert "表三「本年新收政府信息公开申请数量」行「总计」列" in page.locator("h1").inner_text()
    values = [int(v.replace(",", "")) for v in page.locator("td.value").all_inner_texts() if v != "未写明"]
    assert sum(values) == shown and len(values) == 9  # every agency's 2023 report
    shots.take(page, "corpus-reports", fit=True)

    first = page.locator("tr[data-report]").first
    report_id = first.get_attribute("data-report")
    follow(page, first.locator("a"))
    assert "质量标记" in page.content()
    shots.take(page, "corpus-report", fit=True)
    with page.expect_download() as download:
        page.locator("a.source").click()
    data = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == report_id
