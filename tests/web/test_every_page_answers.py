"""Every page reachable by following links from the portal and the staff home, on the demo data,
answers without a server error — as linked, and with its numbers replaced by what people type into
address bars (a number too big for any column, ², letters); and every form on those pages answers
hand-typed input the same way: a page with the errors in Chinese, never a 500."""

import html
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


def crawl(client: Client, start: str, bodies: dict | None = None) -> tuple[list[str], list[str]]:
    """Pages found by following links breadth first, and the ones that failed; HTML kept in ``bodies``."""
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
            if bodies is not None:
                bodies[url] = response.content.decode()
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


# What people type into form fields: too big for a column, digits int() refuses, a date that does not
# exist, markup, a NUL, a very long text, nothing at all.
FORM_TYPED = ["99999999999999999999", "²", "2024-02-30", "<script>alert(1)</script>", "a\x00b", "长" * 5000, ""]


def post_forms(bodies: dict[str, str]) -> dict[tuple, tuple[str, list[str], list[str]]]:
    """One of each kind of POST form on the pages: its action, field names and submit-button steps."""
    forms = {}
    for url, body in bodies.items():
        for form in re.finditer(r'<form\b[^>]*method="post"[^>]*>.*?</form>', body, re.S | re.I):
            action = re.search(r'action="([^"]*)"', form.group(0)[:400])
            target = html.unescape(action.group(1)) if action and action.group(1) else urlsplit(url).path
            if "logout" in target:
                continue
            names = sorted(set(re.findall(r'name="([^"]+)"', form.group(0))) - {"csrfmiddlewaretoken", "step"})
            steps = re.findall(r'name="step" value="([^"]+)"', form.group(0)) or [""]
            forms.setdefault((re.sub(r"\d+", "N", target), tuple(names)), (target, names, steps))
    return forms


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("username", "start"), [
    (None, "/shenqing/"), ("demo_intake", "/staff/"), ("demo_handler", "/staff/"), ("demo_agency_admin", "/staff/")])
def test_no_form_fails_on_hand_typed_input(empty_search_index, username, start):
    load_demo(write=lambda *_: None)
    client = Client(raise_request_exception=False)
    if username:
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=username))
    bodies = {}
    crawl(client, start, bodies)
    forms = post_forms(bodies)
    assert forms, "no form found"  # the crawl really reached pages with forms
    failed = []
    for target, names, steps in forms.values():
        for typed in FORM_TYPED:
            for step in steps:
                data = {name: typed for name in names} | ({"step": step} if step else {})
                status = client.post(target, data).status_code
                if status >= 500:
                    failed.append(f"POST {target} {sorted(data)} = {typed[:12]!r} → {status}")
    assert failed == []
