"""Nothing unreviewed reaches the portal, search, feeds or sitemap, whatever the URL."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from tests.web import test_disclosure_fixtures as fixtures

from gongkai.web.disclosure import services
from gongkai.web.disclosure.models import CatalogueDomain, Publication
from gongkai.web.disclosure.search import search_index

HIDDEN = ("草稿件", "审核件", "保密件", "待签件", "定时件", "撤回件")

desk = fixtures.desk  # the shared fixture


@pytest.fixture
def items(desk):
    common = {"catalogue_domain": CatalogueDomain.SOCIAL_ASSISTANCE, "column": "民生实事"}
    published = desk.publish(desk.draft("公开件低保通知", **common))
    draft = desk.draft("草稿件低保通知", **common)
    review = desk.draft("审核件低保通知", **common)
    with desk.commit(execute=True):
        review = services.publication_submit(publication=review, acting_user=desk.writer)
        secrecy = services.publication_approve(
            publication=services.publication_submit(publication=desk.draft("保密件低保通知", **common),
                                                    acting_user=desk.writer), acting_user=desk.reviewer)
    signing = desk.to_signing(desk.draft("待签件低保通知", **common))
    scheduled = desk.publish(desk.draft("定时件低保通知", **common), publish_at=timezone.now() + timedelta(days=2))
    withdrawn = desk.publish(desk.draft("撤回件低保通知", **common))
    services.attachment_add(publication=draft, acting_user=desk.writer, name="草稿.pdf", content=b"%PDF-1.4 draft")
    with search_index() as index:  # the withdrawn item was in the index while it was public
        assert index.search("撤回件").total == 1
    withdrawn = desk.withdraw(withdrawn)
    return {"published": published, "hidden": [draft, review, secrecy, signing, scheduled, withdrawn]}


def _agency_urls(agency):
    base = f"/portal/{agency.pk}/"
    return [
        "/portal/", base, f"{base}catalogue/", f"{base}catalogue/?item=1", f"{base}catalogue/?domain=social_assistance",
        f"{base}catalogue/?column=民生实事", f"{base}catalogue/?genre=normative_document", f"{base}feed.rss",
        f"{base}feed.atom", f"{base}feed.rss?column=民生实事", "/sitemap.xml",
        "/search/?q=低保", "/search/?q=通知", f"/search/?q=低保&agency={agency.pk}", "/search/?q=低保&category=normative_document",
        *[f"/search/?q={word}" for word in HIDDEN],
    ]


def test_hidden_items_appear_on_no_portal_page_search_feed_or_sitemap(client, desk, items):
    published = items["published"]
    for url in _agency_urls(desk.agency):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for hidden in items["hidden"]:
            assert hidden.title not in text, url
        if any(url.endswith(word) for word in HIDDEN):  # the query is echoed back, but nothing is found
            assert "找到 0 条结果" in text and "<mark>" not in text, url
        else:
            assert not any(word in text for word in HIDDEN), url
        for hidden in items["hidden"]:
            assert f"/portal/publications/{hidden.pk}/" not in text, url
            assert hidden.index_number not in text, url
    assert "公开件" in client.get(f"/portal/{desk.agency.pk}/").content.decode()
    assert f"/portal/publications/{published.pk}/" in client.get("/sitemap.xml").content.decode()
    assert "公开件" in client.get(f"/portal/{desk.agency.pk}/feed.atom").content.decode()


def test_hidden_items_and_their_attachments_are_not_found_by_id(client, items):
    for hidden in items["hidden"]:
        assert client.get(f"/portal/publications/{hidden.pk}/").status_code == 404
        for attachment in hidden.attachments.all():
            assert client.get(f"/portal/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/portal/publications/{items['published'].pk}/").status_code == 200


def test_the_search_index_holds_only_visible_items(items):
    with search_index() as index:
        page = index.search("低保")
    assert [hit.id for hit in page.hits] == [items["published"].pk]


def test_a_scheduled_item_appears_once_its_time_has_come(client, items):
    scheduled = next(p for p in items["hidden"] if p.title.startswith("定时件"))
    assert "找到 0 条结果" in client.get("/search/?q=定时件").content.decode()
    Publication.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/portal/publications/{scheduled.pk}/").status_code == 200
    page = client.get("/search/?q=定时件").content.decode()
    assert "找到 1 条结果" in page and f"/portal/publications/{scheduled.pk}/" in page and "<mark>" in page


def test_a_withdrawn_item_leaves_the_portal_but_keeps_its_history(client, desk, items):
    published = items["published"]
    page = client.get("/search/?q=公开件").content.decode()
    assert f"/portal/publications/{published.pk}/" in page
    desk.withdraw(published, "依法撤回")
    assert client.get(f"/portal/publications/{published.pk}/").status_code == 404
    assert f"/portal/publications/{published.pk}/" not in client.get("/search/?q=公开件").content.decode()
    assert "公开件" not in client.get(f"/portal/{desk.agency.pk}/feed.rss").content.decode()
    assert published.history.filter(state=Publication.State.PUBLISHED).exists()
    assert published.events.filter(action="withdraw", comment="依法撤回").exists()


def test_rebuild_indexes_exactly_the_visible_items(items, capsys):
    with search_index() as index:  # a stale index, e.g. restored from a backup
        index.rebuild([])
    call_command("disclosure_search_rebuild")
    assert "已索引 1 条" in capsys.readouterr().out
    with search_index() as index:
        assert [hit.id for hit in index.search("低保").hits] == [items["published"].pk]
