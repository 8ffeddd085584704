"""Login lock-out after repeated failures; Argon2 first; secure settings."""

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import override_settings
from tests.web.factories import UserFactory

from gongkai.web import settings as site_settings
from gongkai.web.agencies.models import AttemptCounter


@pytest.mark.django_db
class TestLockout:
    @override_settings(GONGKAI_LOGIN_MAX_FAILURES=3)
    def test_it_locks_a_username_after_repeated_failures_even_for_the_right_password(self):
        UserFactory(username="wang")
        assert authenticate(username="wang", password="correct-horse-battery") is not None
        for _ in range(3):
            assert authenticate(username="wang", password="wrong") is None
        assert authenticate(username="wang", password="correct-horse-battery") is None

    @override_settings(GONGKAI_LOGIN_MAX_FAILURES=3)
    def test_it_clears_the_count_after_a_successful_login(self, client):
        UserFactory(username="li", is_staff=True)
        for _ in range(2):
            client.post("/admin/login/", {"username": "li", "password": "wrong"})
        assert client.post("/admin/login/", {"username": "li", "password": "correct-horse-battery"}).status_code == 302
        assert not AttemptCounter.objects.filter(key__startswith="login-user:li@").exists()

    @override_settings(GONGKAI_LOGIN_MAX_FAILURES=2, GONGKAI_LOGIN_LOCK_MINUTES=15)
    def test_it_unlocks_when_the_lock_runs_out(self):
        from datetime import timedelta

        from django.utils import timezone
        UserFactory(username="zhao")
        for _ in range(3):
            authenticate(username="zhao", password="wrong")
        assert authenticate(username="zhao", password="correct-horse-battery") is None
        AttemptCounter.objects.update(window_ends_at=timezone.now() - timedelta(seconds=1))
        assert authenticate(username="zhao", password="correct-horse-battery") is not None


def test_the_site_hashes_passwords_with_argon2_first():
    assert site_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ


def test_the_home_page_is_chinese(client):
    response = client.get("/")
    assert "政府信息公开工作系统" in response.content.decode()
