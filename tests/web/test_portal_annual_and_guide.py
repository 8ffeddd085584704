"""The portal's 公开指南 / 公开制度 pages and its annual reports by year: only published versions, ever."""

import io
import json
from datetime import date
from xml.etree import ElementTree

import pytest
from docx import Document
from tests.web.factories import figures_stated

from gongkai.web.agencies.models import Agency
from gongkai.web.annual.build import annual_report
from gongkai.web.annual.models import AnnualReportRecord
from gongkai.web.annual.services import annual_report_record_advance, annual_report_record_create
from gongkai.web.demo.load import load_seed_data, publish_demo_annual_reports
from gongkai.web.demo.published import seed_reports
from gongkai.web.disclosure.demo import SAMPLE_MARK, load_demo_publications
from gongkai.web.disclosure.demo_guide import demo_guide, demo_rules
from gongkai.web.disclosure.models import AgencyDisclosure
from gongkai.web.portal.text import text_blocks
from gongkai.workdays import fees

State = AnnualReportRecord.State
UNPUBLISHED = [state for state in State.values if state != State.PUBLISHED]


def publish(agency, year):
    """A version made and published through the annual services (the system acting, as the demo does)."""
    figures_stated(agency, year)  # table 二 stated, or the report could not be published
    record = annual_report_record_create(agency=agency, year=year)
    while record.state != State.PUBLISHED:
        record = annual_report_record_advance(record=record)
    return record


def unpublished(agency, year, state, version=None):
    version = version or (AnnualReportRecord.objects.filter(agency=agency, year=year).count() + 1)
    return AnnualReportRecord.objects.create(agency=agency, year=year, version=version, state=state,
                                             snapshot=annual_report(agency, year).to_json())


@pytest.fixture
def street(world):
    """The east street with one application received in 2024 (table 三: 1 new, 1 carried forward)."""
    world.register(received_on=date(2024, 9, 27))
    return world.street


# -- 公开指南 and 公开制度 -------------------------------------------------------------------------------

def test_text_blocks_make_numbered_short_lines_headings_and_keep_the_rest_paragraphs():
    text = "某局政府信息公开指南\n\n一、主动公开\n（一）公开范围\n本机关主动公开……\n" + "二、" + "很长的一段正文" * 10
    assert [(b.kind, b.text) for b in text_blocks(text)] == [
        ("paragraph", "某局政府信息公开指南"), ("heading", "一、主动公开"), ("subheading", "（一）公开范围"),
        ("paragraph", "本机关主动公开……"), ("paragraph", "二、" + "很长的一段正文" * 10)]
    assert text_blocks("") == [] and text_blocks(None) == []


def test_guide_and_rules_pages_show_the_text_as_headings_and_paragraphs(client, world):
    AgencyDisclosure.objects.create(agency=world.street, agency_code="DJ", guide=demo_guide(world.street.full_name),
                                    rules=demo_rules(world.street.full_name))
    guide = client.get(f"/portal/{world.street.pk}/guide/")
    assert guide.status_code == 200
    page = guide.content.decode()
    assert f"<h1>{world.street.full_name}政府信息公开指南</h1>" in page
    for heading in ("一、主动公开", "二、依申请公开", "三、收费", "四、救济途径"):
        assert f"<h2>{heading}</h2>" in page
    assert "<h3>（三）公开时限</h3>" in page and "<h3>（一）受理机构</h3>" in page
    assert "20个工作日内予以答复" in page and 'aria-current="page">公开指南' in page
    rules = client.get(f"/portal/{world.street.pk}/rules/").content.decode()
    assert f"<h1>{world.street.full_name}政府信息公开制度</h1>" in rules and "<h2>一、发布审核制度</h2>" in rules


def test_guide_text_is_plain_text_never_markup(client, world):
    AgencyDisclosure.objects.create(agency=world.street, agency_code="DJ",
                                    guide='一、<script>alert("x")</script>\n<b onclick="x()">正文</b>',
                                    rules="<img src=x onerror=alert(1)>")
    guide = client.get(f"/portal/{world.street.pk}/guide/").content.decode()
    assert "<script>alert" not in guide and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in guide
    assert "<b onclick" not in guide and "&lt;b onclick=&quot;x()&quot;&gt;正文&lt;/b&gt;" in guide
    rules = client.get(f"/portal/{world.street.pk}/rules/").content.decode()
    assert "<img src=x" not in rules and "&lt;img src=x onerror=alert(1)&gt;" in rules
    home = client.get(f"/portal/{world.street.pk}/").content.decode()
    assert "<script>alert" not in home and "<img src=x" not in home


def test_guide_and_rules_without_text_or_agency(client, world):
    assert "本机构尚未发布政府信息公开指南。" in client.get(f"/portal/{world.street.pk}/guide/").content.decode()
    assert "本机构尚未发布政府信息公开制度。" in client.get(f"/portal/{world.street.pk}/rules/").content.decode()
    assert client.get("/portal/999999/guide/").status_code == 404
    assert client.get("/portal/999999/rules/").status_code == 404
    assert client.get("/portal/999999/annual/").status_code == 404


def test_demo_guide_has_the_structure_of_a_real_guide_and_the_109_fee_figures():
    guide = demo_guide("示范区民政局")
    for part in ("示范区民政局政府信息公开指南", "（一）公开范围", "（二）公开方式", "（三）公开时限", "（一）受理机构",
                 "地址：", "办公时间：", "联系电话：", "（三）办理步骤", "20个工作日内予以答复", "国办函〔2020〕109号",
                 "行政复议", "行政诉讼", "示例"):
        assert part in guide, part
    free = fees.FREE_APPLICATIONS_PER_MONTH
    assert f"累计申请{free}件以下（含{free}件）的，不收费" in guide
    assert f"{fees.PER_APPLICATION_BASE_RATE}元/件" in guide
    for first, last, rate in fees.PAGE_BANDS[1:]:
        span = f"{first}页以上" if last is None else f"{first}—{last}页（含{last}页）"
        assert f"{span}的部分，{rate}元/页" in guide


def test_demo_loader_gives_each_agency_the_marked_guide_and_rules(client, world, settings, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    settings.GONGKAI_SEARCH_SQLITE = str(tmp_path / "search.sqlite3")
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_publications([world.street])
    disclosure = AgencyDisclosure.objects.get(agency=world.street)
    assert disclosure.guide == SAMPLE_MARK + demo_guide(world.street.full_name)
    assert disclosure.rules == SAMPLE_MARK + demo_rules(world.street.full_name)
    page = client.get(f"/portal/{world.street.pk}/guide/").content.decode()
    assert "【示例数据】测试区东街道办事处政府信息公开指南" in page and "<h2>三、收费</h2>" in page


# -- agency home ----------------------------------------------------------------------------------------------

def test_agency_home_links_every_entrance(client, street):
    publish(street, 2024)
    page = client.get(f"/portal/{street.pk}/").content.decode()
    for href in (f"/portal/{street.pk}/guide/", f"/portal/{street.pk}/rules/", f"/portal/{street.pk}/catalogue/",
                 f"/portal/{street.pk}/annual/", f"/portal/{street.pk}/annual/2024/", "/shenqing/", "/search/"):
        assert f'href="{href}"' in page, href
    assert f'name="agency" value="{street.pk}"' in page and '<label for="agency-q">' in page
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in page
    assert page.index('class="skip" href="#main"') < page.index("<header")  # first thing the keyboard reaches


# -- annual reports by year --------------------------------------------------------------------------------

def test_annual_list_shows_latest_published_version_per_year_and_earlier_ones_as_history(client, street, world):
    first = publish(street, 2024)
    second = publish(street, 2024)
    draft = unpublished(street, 2024, State.DRAFT)
    only_2023 = publish(street, 2023)
    unpublished(street, 2022, State.IN_REVIEW)
    page = client.get(f"/portal/{street.pk}/annual/").content.decode()
    assert (first.version, second.version, draft.version) == (1, 2, 3)
    assert page.index("2024年度报告") < page.index("2023年度报告") and "2022" not in page
    assert f"/portal/{street.pk}/annual/2024/v2.pdf" in page and f"/portal/{street.pk}/annual/2023/v{only_2023.version}.pdf" in page
    assert "历史版本（1）" in page and f"/portal/{street.pk}/annual/2024/v1/" in page
    assert "v3" not in page
    other = client.get(f"/portal/{world.other_street.pk}/annual/").content.decode()
    assert "本机构暂无已发布的年度报告。" in other and "2024年度报告" not in other


def test_annual_report_page_shows_the_published_numbers_in_the_official_layout(client, street):
    record = publish(street, 2024)
    unpublished(street, 2024, State.DRAFT)  # a newer draft changes nothing on the portal
    response = client.get(f"/portal/{street.pk}/annual/2024/")
    assert response.status_code == 200
    page = response.content.decode()
    snapshot = record.snapshot
    assert snapshot["applications"]["new"]["natural_person"] == 1
    assert '<td class="value" data-key="applications.new.natural_person">1</td>' in page
    assert '<td class="value" data-key="applications.carried_forward.natural_person">1</td>' in page
    assert f"<h1>{street.full_name}2024年政府信息公开工作年度报告</h1>" in page
    assert page.count("<h1>") == 1 and page.count('<div class="grid-scroll" tabindex="0" role="region"') == 3
    assert "第 1 版" in page and "这是历史版本" not in page
    for fmt in ("pdf", "docx", "html", "json"):
        assert f'href="/portal/{street.pk}/annual/2024/v1.{fmt}"' in page


def test_an_earlier_published_version_stays_readable_and_says_so(client, street):
    publish(street, 2024)
    publish(street, 2024)
    latest = client.get(f"/portal/{street.pk}/annual/2024/").content.decode()
    assert "第 2 版" in latest and "这是历史版本" not in latest
    earlier = client.get(f"/portal/{street.pk}/annual/2024/v1/").content.decode()
    assert "第 1 版" in earlier and "这是历史版本" in earlier and f"/portal/{street.pk}/annual/2024/v1.pdf" in earlier


@pytest.mark.parametrize("state", UNPUBLISHED)
def test_no_unpublished_version_is_reachable_whatever_the_url(client, street, world, state):
    published = publish(street, 2024)
    hidden = unpublished(street, 2024, state)  # version 2 of a year that has a published version
    alone = unpublished(street, 2023, state)  # the only version of its year
    base = f"/portal/{street.pk}/annual"
    urls = [f"{base}/2023/", f"{base}/2023/v{alone.version}/", f"{base}/2024/v{hidden.version}/",
            f"{base}/2024/v99/", f"{base}/2024/v0/", f"{base}/2024/v99999999999999999999/", f"{base}/99999999999/",
            f"{base}/2024/v99999999999999999999.pdf", f"/portal/{world.other_street.pk}/annual/2024/",
            f"/portal/{world.other_street.pk}/annual/2024/v{published.version}/",
            f"/portal/{world.other_street.pk}/annual/2024/v{published.version}.pdf"]
    urls += [f"{base}/{year}/v{version}.{fmt}" for year, version in ((2023, alone.version), (2024, hidden.version))
             for fmt in ("pdf", "docx", "html", "json")]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.get(f"{base}/2024/").status_code == 200
    for url in (f"{base}/", f"/portal/{street.pk}/", "/sitemap.xml", f"{base}/2024/"):
        text = client.get(url).content.decode()
        assert f"2024/v{hidden.version}" not in text and "/annual/2023/" not in text, url


def test_report_prose_is_shown_as_text_never_markup(client, street):
    record = publish(street, 2024)
    sections = {**record.snapshot["sections"], "problems": '<script>alert("x")</script>存在的问题'}
    AnnualReportRecord.objects.filter(pk=record.pk).update(snapshot={**record.snapshot, "sections": sections})
    page = client.get(f"/portal/{street.pk}/annual/2024/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;存在的问题" in page


def test_downloads_of_a_published_version_open_in_every_format(client, street):
    record = publish(street, 2024)
    base = f"/portal/{street.pk}/annual/2024/v{record.version}"
    pdf = client.get(f"{base}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment; filename*=UTF-8''" in pdf["Content-Disposition"]
    docx = client.get(f"{base}.docx")
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"{street.full_name}2024年政府信息公开工作年度报告" in text
    data = json.loads(client.get(f"{base}.json").content)
    assert data["applications"] == record.snapshot["applications"] and data["year"] == 2024
    html = client.get(f"{base}.html")
    assert html["Content-Type"].startswith("text/html") and b'data-key="applications.new.natural_person">1<' in html.content
    assert client.get(f"{base}.exe").status_code == 404
    assert client.get(f"{base}.md").status_code == 404


def test_sitemap_lists_guide_rules_and_published_report_years(client, street):
    publish(street, 2024)
    publish(street, 2024)  # two published versions are one page
    unpublished(street, 2023, State.DRAFT)
    text = client.get("/sitemap.xml").content.decode()
    ElementTree.fromstring(text.encode())
    for path in ("guide/", "rules/", "annual/", "annual/2024/"):
        assert f"http://testserver/portal/{street.pk}/{path}</loc>" in text, path
    assert f"/portal/{street.pk}/annual/2023/" not in text
    assert text.count(f"/portal/{street.pk}/annual/2024/") == 1


# -- demo ------------------------------------------------------------------------------------------------------

def test_demo_publishes_each_seed_agency_report_with_the_seed_numbers(client, db):
    """With the sample publications loaded first, as ``gongkai demo`` does: they must not change table 二."""
    agencies, _ = load_seed_data()
    load_demo_publications(agencies)
    assert publish_demo_annual_reports(agencies) == len(agencies)
    assert publish_demo_annual_reports(agencies) == 0  # idempotent
    for seed in seed_reports():
        agency = Agency.objects.get(full_name=seed.agency)
        record = AnnualReportRecord.objects.get(agency=agency, year=seed.year)
        assert record.state == State.PUBLISHED
        for table in ("proactive", "applications", "appeals"):
            assert record.snapshot[table] == seed.to_json()[table], (seed.agency, table)
    agency = agencies[0]
    seed = seed_reports()[0]
    page = client.get(f"/portal/{agency.pk}/annual/{seed.year}/").content.decode()
    total_new = seed.applications["new"]["total"]
    assert f'data-key="applications.new.total">{total_new}</td>' in page
    assert f"{seed.year}年度报告" in client.get(f"/portal/{agency.pk}/annual/").content.decode()
