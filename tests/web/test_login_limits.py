"""Login lock-out under attack: counted before the password is checked, per (username, address) and per address."""

import time

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client, RequestFactory
from tests.web.factories import UserFactory
from tests.web.threads import run_in_threads

from gongkai.web.agencies.models import AttemptCounter

RIGHT = "correct-horse-battery"


def login(username, password, address="203.0.113.7", path="/staff/login/"):
    """A fresh browser posting the login form from ``address``: True when it is logged in."""
    response = Client(REMOTE_ADDR=address).post(path, {"username": username, "password": password})
    return response.status_code == 302


def backend_login(username, password, address="203.0.113.7"):
    request = RequestFactory().post("/staff/login/", REMOTE_ADDR=address)
    return authenticate(request, username=username, password=password) is not None


class SlowHasher(MD5PasswordHasher):
    """A password check that takes a second, as Argon2 does under load: wide open to the race."""

    def verify(self, password, encoded):
        time.sleep(1)
        return super().verify(password, encoded)


@pytest.mark.django_db(transaction=True)
def test_wrong_passwords_sent_at_once_lock_the_account_before_the_right_one_arrives(settings):
    settings.GONGKAI_LOGIN_MAX_FAILURES = 5
    settings.PASSWORD_HASHERS = [f"{__name__}.SlowHasher"]
    UserFactory(username="wang", is_staff=True)

    def attempt(n):
        if n == 15:  # the right password, while the fifteen wrong ones are still being checked
            time.sleep(0.3)
            return backend_login("wang", RIGHT)
        return backend_login("wang", f"wrong-{n}")

    assert not any(run_in_threads(16, attempt))


@pytest.mark.django_db
class TestPerAddress:
    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.GONGKAI_LOGIN_MAX_FAILURES = 5
        settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS = 10

    def test_many_usernames_from_one_address_are_refused_after_the_address_limit(self):
        real = UserFactory(username="li", is_staff=True)
        for n in range(10):
            assert not login(f"nobody-{n}", "guess")
        # the address is now refused, even for a real user with the right password …
        assert not login(real.username, RIGHT)
        # … while the same user from another address logs in
        assert login(real.username, RIGHT, address="198.51.100.20")

    def test_nothing_is_stored_per_unknown_username(self):
        for n in range(40):
            login(f"nobody-{n}", "guess", address=f"192.0.2.{n % 4}")
        assert AttemptCounter.objects.count() <= 4  # one per address, none per username
        assert not AttemptCounter.objects.filter(key__contains="nobody").exists()

    def test_an_anonymous_visitor_cannot_lock_a_staff_member_out(self):
        UserFactory(username="zhao", is_staff=True)
        for _ in range(6):
            assert not login("zhao", "wrong", address="203.0.113.66")
        assert not login("zhao", RIGHT, address="203.0.113.66")  # the attacker's own address is locked
        assert login("zhao", RIGHT, address="198.51.100.5")  # zhao at the office is not

    def test_the_admin_login_goes_through_the_same_lock(self):
        UserFactory(username="qian", is_staff=True)
        for _ in range(5):
            assert not login("qian", "wrong", path="/admin/login/")
        assert not login("qian", RIGHT, path="/admin/login/")
        assert not login("qian", RIGHT, path="/staff/login/")
