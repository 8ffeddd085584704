"""Login lock-out after repeated failures, without an extra dependency.

django-axes would do this too, but it brings its own middleware, handlers and a dozen
settings for IP/user-agent policies we do not need; the rule here is one row per username
and twenty lines: ``GONGKAI_LOGIN_MAX_FAILURES`` consecutive failures lock the username for
``GONGKAI_LOGIN_LOCK_MINUTES``; while locked even the right password is refused (so the lock
cannot be used as an oracle); a successful login clears the count.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginLock


def login_is_locked(username: str, *, now=None) -> bool:
    now = now or timezone.now()
    return LoginLock.objects.filter(username=username, locked_until__gt=now).exists()


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and login_is_locked(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _record_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if not username:
        return
    now = timezone.now()
    with transaction.atomic():
        lock, _ = LoginLock.objects.select_for_update().get_or_create(username=username)
        if lock.locked_until and lock.locked_until <= now:
            lock.failures = 0  # the previous lock has run out: count afresh
            lock.locked_until = None
        lock.failures = F("failures") + 1
        lock.last_failure_at = now
        lock.save(update_fields=["failures", "last_failure_at", "locked_until"])
        lock.refresh_from_db(fields=["failures"])
        if lock.failures >= settings.GONGKAI_LOGIN_MAX_FAILURES and not lock.locked_until:
            lock.locked_until = now + timedelta(minutes=settings.GONGKAI_LOGIN_LOCK_MINUTES)
            lock.save(update_fields=["locked_until"])


@receiver(user_logged_in)
def _clear_failures(sender, user, request=None, **kwargs):
    LoginLock.objects.filter(username=user.get_username()).delete()
