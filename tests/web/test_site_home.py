"""The landing page /: every agency's 专栏 and 申请 entrance, search, the latest items, a site-wide feed and
an icon; an agency's 申请公开 link opens the form with that agency chosen."""

import re
from xml.etree import ElementTree

from tests.web import test_disclosure_fixtures as fixtures

desk = fixtures.desk  # the shared fixture


def test_the_landing_page_is_the_portal_with_agencies_search_apply_and_the_latest_items(client, desk):
    desk.publish(desk.draft("关于调整城乡低保标准的通知"))
    desk.publish(desk.draft("财政局部门预算公开", agency=desk.other_agency))
    page = client.get("/").content.decode()
    assert "/static/portal/portal.css" in page  # styled as the portal, not a bare list
    for agency in (desk.agency, desk.other_agency):
        assert f'href="/portal/{agency.pk}/"' in page and agency.full_name in page
        assert f'href="/shenqing/?agency={agency.pk}"' in page
    assert re.search(r'<form[^>]*role="search"[^>]*action="/search/"', page)
    assert 'href="/shenqing/"' in page and 'href="/shenqing/progress/"' in page
    latest = page.split('id="latest-h"', 1)[1]
    assert latest.index("财政局部门预算公开") < latest.index("关于调整城乡低保标准的通知")  # newest first
    head = page.split("</head>", 1)[0]
    assert '<link rel="alternate" type="application/rss+xml"' in head and 'href="/feed.rss"' in head
    assert '<link rel="alternate" type="application/atom+xml"' in head and 'href="/feed.atom"' in head
    assert 'href="/staff/"' in page  # staff find their way in from the footer


def test_the_site_feeds_carry_every_agencys_published_items_and_nothing_else(client, desk):
    desk.publish(desk.draft("关于调整城乡低保标准的通知"))
    desk.publish(desk.draft("财政局部门预算公开", agency=desk.other_agency))
    desk.draft("未审核的草稿")
    rss = ElementTree.fromstring(client.get("/feed.rss").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert titles == ["财政局部门预算公开（测试区财政局）", "关于调整城乡低保标准的通知（测试区民政局）"]
    atom = client.get("/feed.atom")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "财政局部门预算公开" in atom.content.decode() and "未审核的草稿" not in atom.content.decode()


def test_every_page_names_a_local_icon_and_favicon_ico_answers(client, desk, db):
    for url in ["/", f"/portal/{desk.agency.pk}/", "/shenqing/", "/staff/login/"]:
        head = client.get(url).content.decode().split("</head>", 1)[0]
        icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', head)
        assert icon and icon.group(1).startswith("/static/"), url
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_an_agencys_apply_link_preselects_it_on_the_form(client, desk):
    for url in [f"/portal/{desk.agency.pk}/"]:
        assert f'href="/shenqing/?agency={desk.agency.pk}"' in client.get(url).content.decode()
    page = client.get(f"/shenqing/?agency={desk.other_agency.pk}").content.decode()
    selected = re.findall(r'<option value="(\d+)"[^>]*selected', page)
    assert selected == [str(desk.other_agency.pk)]
    for bad in ["999999", "²", "abc", "99999999999999999999"]:  # unknown or hand-typed: nothing chosen, no error
        response = client.get("/shenqing/", {"agency": bad})
        assert response.status_code == 200
        assert not re.findall(r'<option value="\d+"[^>]*selected', response.content.decode())
