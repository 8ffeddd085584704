"""Login lock-out after repeated failures; Argon2 first; secure settings; CSP; TLS proxy settings."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

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


def test_the_home_page_is_chinese(client, db):
    response = client.get("/")
    assert "政府信息公开工作系统" in response.content.decode()


# ---------------------------------------------------------------- Content-Security-Policy, TLS proxy

SITE = Path(site_settings.__file__).resolve().parent
# Documents, not pages: the letter's and the 通报's HTML go to WeasyPrint only, and the report's standalone HTML
# is a download (the portal shows only its <article>, without the <style>).
DOCUMENT_TEMPLATES = {"cases/letters/letter.html", "supervision/bulletin_document.html"}
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style\b|\son[a-z]+\s*=|javascript:", re.I)


def test_no_page_template_has_inline_script_style_or_handler():
    found = []
    for path in SITE.glob("**/templates/**/*.html"):
        name = path.as_posix().split("/templates/", 1)[1]
        if name not in DOCUMENT_TEMPLATES:
            found += [f"{name}: {m.group(0)}" for m in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/portal/", "/shenqing/", "/staff/login/", "/admin/login/", "/api/docs"])
def test_every_page_carries_a_policy_without_inline_script(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def site_settings_with(env: dict) -> dict:
    """The site's settings as a fresh process reads them from ``env``."""
    code = ("import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'gongkai.web.settings';"
            "from django.conf import settings as s;"
            "print(json.dumps([getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.CSRF_TRUSTED_ORIGINS]))")
    environment = {**os.environ, "GONGKAI_SECRET_KEY": "x" * 50, "PYTHONPATH": str(SITE.parents[1]), **env}
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_a_tls_proxy_is_configured_from_the_environment():
    header, origins = site_settings_with({"GONGKAI_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
                                          "GONGKAI_CSRF_TRUSTED_ORIGINS": "https://gk.example.gov.cn, https://b.example"})
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert origins == ["https://gk.example.gov.cn", "https://b.example"]
    assert site_settings_with({}) == [None, []]


def test_behind_the_proxy_limits_count_the_client_not_the_proxy(settings):
    from django.test import RequestFactory

    from gongkai.web.client_address import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_address(request) == "10.0.0.1"
    settings.GONGKAI_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    assert client_address(request) == "203.0.113.5"  # the entry the proxy appended, not one the client sent
