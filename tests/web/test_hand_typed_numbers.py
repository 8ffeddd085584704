"""Numbers typed by hand into URLs and forms — too big for a database column, or digits ``int``
refuses (²) — filter to nothing or are ignored; no page answers 500."""

import pytest
from django.test import Client
from tests.web import test_disclosure_fixtures as fixtures

from gongkai.web.query import MAX_ID, id_from, year_from

desk = fixtures.desk
HAND_TYPED = ["99999999999999999999", str(MAX_ID + 1), "²", "١٢", "-1", "0", " ", "abc"]


@pytest.mark.parametrize(("text", "expected"), [
    ("12", 12), (" 7 ", 7), (str(MAX_ID), MAX_ID), (None, None), *((text, None) for text in HAND_TYPED)])
def test_id_from(text, expected):
    assert id_from(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2021", 2021), ("1999", 2019), ("3000", 2026), (None, 2025), *((text, 2025) for text in HAND_TYPED)])
def test_year_from_keeps_a_typed_year_within_its_bounds(text, expected):
    assert year_from(text, lowest=2019, highest=2026, default=2025) == expected


@pytest.mark.parametrize("typed", HAND_TYPED)
def test_portal_and_staff_filters_take_any_typed_value(desk, typed):
    publication = desk.publish(desk.draft("关于调整城乡低保标准的通知"))
    public = Client()
    catalogue = public.get(f"/portal/{desk.agency.pk}/catalogue/", {"item": typed})
    assert catalogue.status_code == 200 and publication.title in catalogue.content.decode()  # the filter is ignored
    search = public.get("/search/", {"q": "低保", "agency": typed})
    found = "找到 1 条结果" if not typed.strip() else "找到 0 条结果"  # blank is no filter; others match no agency
    assert search.status_code == 200 and found in search.content.decode()

    staff = Client()
    staff.force_login(desk.signer)
    listing = staff.get("/staff/publications/", {"agency": typed})
    assert listing.status_code == 200 and publication.title in listing.content.decode()
    assert staff.post("/staff/reminders/read/", {"message": typed}).status_code == 302
