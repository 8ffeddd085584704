"""The portal pages: agency home, catalogue, detail, search with highlights/filters/pages, feeds, demo data."""

from datetime import datetime
from xml.etree import ElementTree

from django.utils import timezone
from tests.web import test_disclosure_fixtures as fixtures

from gongkai.web.disclosure import services
from gongkai.web.disclosure.demo import SAMPLE_MARK, load_demo_publications
from gongkai.web.disclosure.models import AgencyDisclosure, Article20Item, CatalogueDomain, Genre, Publication

desk = fixtures.desk  # the shared fixture


def test_agency_home_shows_guide_rules_and_catalogue_entries(client, desk):
    AgencyDisclosure.objects.create(agency=desk.agency, agency_code="MZJ", guide="公开指南正文：受理机构地址",
                                    rules="发布审核制度正文")
    desk.publish(desk.draft(catalogue_domain=CatalogueDomain.SOCIAL_ASSISTANCE, column="民生实事"))
    page = client.get(f"/portal/{desk.agency.pk}/").content.decode()
    assert "公开指南正文：受理机构地址" in page and "发布审核制度正文" in page
    assert Article20Item.REGULATIONS.label in page and "社会救助" in page and "民生实事" in page
    assert 'lang="zh-Hans"' in page and "/static/portal/portal.css" in page and 'href="#main"' in page
    assert client.get("/portal/999999/").status_code == 404


def test_catalogue_filters_by_item_domain_and_genre(client, desk):
    desk.publish(desk.draft("低保政策", catalogue_domain=CatalogueDomain.SOCIAL_ASSISTANCE))
    desk.publish(desk.draft("部门预算", genre=Genre.BUDGET, article20_item=Article20Item.BUDGETS,
                            catalogue_domain=CatalogueDomain.FINANCE))
    base = f"/portal/{desk.agency.pk}/catalogue/"
    by_item = client.get(f"{base}?item=7").content.decode()
    assert "部门预算" in by_item and "低保政策" not in by_item
    by_domain = client.get(f"{base}?domain=social_assistance").content.decode()
    assert "低保政策" in by_domain and "部门预算" not in by_domain
    by_genre = client.get(f"{base}?genre=budget").content.decode()
    assert "部门预算" in by_genre and "低保政策" not in by_genre
    everything = client.get(f"{base}?item=abc&domain=nonsense").content.decode()  # bad filters are ignored
    assert "部门预算" in everything and "低保政策" in everything


def test_detail_shows_metadata_and_links_policy_and_public_interpretation(client, desk):
    policy = desk.publish(desk.draft(doc_number="测民规〔2024〕1号", topic="民政"))
    interpretation = desk.publish(desk.draft("低保政策解读", genre=Genre.INTERPRETATION, interprets=policy))
    desk.draft("未发布的解读", genre=Genre.INTERPRETATION, interprets=policy)
    page = client.get(f"/portal/publications/{policy.pk}/").content.decode()
    for text in (policy.index_number, "测民规〔2024〕1号", "测试区民政局", "有效", "民政", "低保政策解读"):
        assert text in page
    assert "未发布的解读" not in page
    assert policy.title in client.get(f"/portal/publications/{interpretation.pk}/").content.decode()


def test_attachment_of_a_public_item_downloads_with_its_type(client, desk):
    draft = desk.draft()
    attachment = services.attachment_add(publication=draft, acting_user=desk.writer, name="附件.pdf",
                                         content=b"%PDF-1.4 x")
    desk.publish(draft)
    response = client.get(f"/portal/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.4 x"


def test_search_highlights_two_character_words_and_filters(client, desk):
    desk.publish(desk.draft("关于调整城乡低保标准的通知", body="提高低保标准。"))
    desk.publish(desk.draft("行政复议告知书", genre=Genre.NOTICE, article20_item=Article20Item.OTHER,
                            body="不服的可以申请行政复议。"))
    desk.publish(desk.draft("财政局低保资金公告", agency=desk.other_agency, user=desk.outsider, body="资金下达。"))
    page = client.get("/search/?q=低保").content.decode()
    assert "找到 2 条结果" in page and "<mark>低保</mark>" in page
    assert "找到 1 条结果" in client.get("/search/?q=复议").content.decode()
    only_agency = client.get(f"/search/?q=低保&agency={desk.other_agency.pk}").content.decode()
    assert "找到 1 条结果" in only_agency and "财政局" in only_agency
    year = timezone.localdate().year
    assert "找到 2 条结果" in client.get(f"/search/?q=低保&year={year}").content.decode()
    assert "找到 0 条结果" in client.get(f"/search/?q=低保&year={year - 5}").content.decode()
    assert "找到 1 条结果" in client.get("/search/?q=复议&category=notice").content.decode()
    assert "找到 0 条结果" in client.get("/search/?q=低保&agency=abc").content.decode()
    assert client.get("/search/?q=" + "%00<script>").status_code == 200
    for huge in ("year=99999999999999999999", "agency=99999999999999999999", "page=99999999999999999999"):
        response = client.get(f"/search/?q=低保&{huge}")  # numbers no database column takes
        assert response.status_code == 200 and "<mark>" not in response.content.decode(), huge
    assert '<label for="q">' in page


def test_search_pages_through_many_results(client, desk):
    for n in range(23):
        desk.publish(desk.draft(f"第{n}号低保公示", formed_on=datetime(2024, 9, 2).date()))
    first = client.get("/search/?q=低保").content.decode()
    assert "找到 23 条结果" in first and "第 1 / 2 页" in first and "page=2" in first
    second = client.get("/search/?q=低保&page=2").content.decode()
    assert "第 2 / 2 页" in second and second.count("<li><h2>") == 3


def test_feeds_are_valid_xml_with_the_published_items(client, desk):
    publication = desk.publish(desk.draft())
    for url in (f"/portal/{desk.agency.pk}/feed.rss", f"/portal/{desk.agency.pk}/feed.atom", "/sitemap.xml"):
        response = client.get(url)
        ElementTree.fromstring(response.content)  # well-formed
        assert f"/portal/publications/{publication.pk}/" in response.content.decode(), url


def test_demo_publications_are_marked_published_and_searchable(client, desk):
    with desk.commit(execute=True):
        made = load_demo_publications([desk.agency, desk.other_agency])
    assert made == 10
    assert load_demo_publications([desk.agency]) == 0  # idempotent
    demo = Publication.objects.filter(title__startswith=SAMPLE_MARK)
    assert demo.count() == 10 and not demo.exclude(state=Publication.State.PUBLISHED).exists()
    assert not any(p.is_late() for p in demo)
    assert demo.filter(genre=Genre.INTERPRETATION, interprets__isnull=False).count() == 2
    for word in ("复议", "低保"):
        page = client.get(f"/search/?q={word}").content.decode()
        assert f"<mark>{word}</mark>" in page and "示例数据" in page
    assert "示例数据" in client.get(f"/portal/{desk.agency.pk}/").content.decode()
