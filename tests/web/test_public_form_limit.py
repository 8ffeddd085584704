"""The public form refuses a flood from one address (a statutory case and deadline each); staff are not limited."""

import re

import pytest
from django.test import Client
from tests.web.test_public_pages import APPLY, form_data, submit
from tests.web.test_staff_registration import FORM_URL, form_token, logged_in
from tests.web.test_staff_registration import form_data as staff_form_data

from gongkai.web.cases.models import Application

FLOODER = "203.0.113.9"


def request_number(world, n: int) -> dict:
    """The n-th different request from the same applicant (a repeat of one request is warned of instead)."""
    return form_data(world, information_sought=f"2024年某路段拆迁补偿方案（第 {n} 项）")


@pytest.fixture(autouse=True)
def _three_an_hour(settings):
    settings.GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS = 3
    settings.GONGKAI_PUBLIC_APPLICATION_WINDOW_MINUTES = 60


def test_one_address_registers_only_so_many_applications_within_the_window(world):
    flooder = Client(REMOTE_ADDR=FLOODER)
    for n in range(3):
        assert submit(flooder, request_number(world, n))[1]
    response = flooder.post(APPLY, request_number(world, 3))
    assert response.status_code == 429
    html = response.content.decode()
    assert "同一网络地址 60 分钟内最多提交 3 份申请" in html
    assert Application.objects.count() == 3
    # another address is not held up by the flood
    assert submit(Client(REMOTE_ADDR="198.51.100.1"), form_data(world))[1]


def test_resubmitting_a_registered_form_is_not_counted_again(world):
    client = Client(REMOTE_ADDR=FLOODER)
    data = form_data(world)
    numbers = {submit(client, data)[1] for _ in range(5)}
    assert len(numbers) == 1 and Application.objects.count() == 1
    assert submit(client, request_number(world, 2))[1]  # the second real application still goes through


def test_staff_registration_from_the_same_address_is_not_limited(world):
    for n in range(3):
        submit(Client(REMOTE_ADDR=FLOODER), request_number(world, n))
    intake = logged_in(world.users["intake"])
    intake.defaults["REMOTE_ADDR"] = FLOODER
    for n in range(4):
        letter = staff_form_data(world, form_token(intake), information_sought=f"2024年东街道老旧小区改造资金（第 {n} 封信）")
        response = intake.post(FORM_URL, letter, follow=True)
        assert response.status_code == 200 and re.search(r'id="application-number">GK', response.content.decode())
    assert Application.objects.count() == 7
