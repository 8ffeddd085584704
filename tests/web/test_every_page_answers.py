"""Every page reachable by following links from the portal and the staff home, on the demo data,
answers without a server error — as linked, and with its numbers replaced by what people type into
address bars (a number too big for any column, ², letters)."""

import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client

from gongkai.web.demo.load import load_demo

PAGES_PER_START = 120
HAND_TYPED = ["99999999999999999999", "²", "abc"]
# Filters the pages' GET forms send (forms are not links, so the crawl never sees them filled in).
FORM_FILTERS = ["page", "year", "agency", "state", "mine", "q", "item", "domain", "genre", "kind", "unread", "result",
                "channel", "category", "column"]
SKIPPED = re.compile(r"^/(static|admin)/|logout|download|\.(pdf|docx)\b|format=")


def crawl(client: Client, start: str) -> tuple[list[str], list[str]]:
    """Pages found by following links breadth first, and the ones that failed."""
    seen, queue, pages, failed = set(), deque([start]), [], []
    while queue and len(pages) < PAGES_PER_START:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages.append(url)
        if response.status_code >= 500:
            failed.append(f"{url} → {response.status_code}")
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
                href = href.replace("&amp;", "&")
                if href not in seen and not SKIPPED.search(href):
                    queue.append(href)
    return pages, failed


def hand_typed_variants(url: str) -> set[str]:
    """The URL with each of its numbers, and each filter a page's GET form may send, typed by hand."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    variants = {f"{parts.path}?{urlencode([(name, typed) for name in FORM_FILTERS])}" for typed in HAND_TYPED}
    for position, (name, _) in enumerate(params):
        for typed in HAND_TYPED:
            changed = [*params[:position], (name, typed), *params[position + 1:]]
            variants.add(f"{parts.path}?{urlencode(changed)}")
    for number in re.finditer(r"/(\d+)/", parts.path):
        variants.add(f"{parts.path[:number.start()]}/{HAND_TYPED[0]}/{parts.path[number.end():]}")
    return variants


def one_per_kind(urls: list[str]) -> list[str]:
    """One URL for each kind of page (numbers in the path and the query's values set aside)."""
    kinds = {}
    for url in urls:
        parts = urlsplit(url)
        kind = (re.sub(r"\d+", "N", parts.path), tuple(sorted(dict(parse_qsl(parts.query)))))
        kinds.setdefault(kind, url)
    return list(kinds.values())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("username", "start"), [
    (None, "/"), ("demo_handler", "/staff/"), ("demo_supervisor", "/staff/annual/overview/")])
def test_no_page_fails_as_linked_or_with_hand_typed_numbers(empty_search_index, username, start):
    load_demo(write=lambda *_: None)
    client = Client(raise_request_exception=False)
    if username:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=username))
    pages, failed = crawl(client, start)
    assert len(pages) > 30, pages  # the links really were followed
    variants = set().union(*(hand_typed_variants(url) for url in one_per_kind(pages)))
    for url in sorted(variants):
        status = client.get(url).status_code
        if status >= 500:
            failed.append(f"{url} → {status}")
    assert failed == []
