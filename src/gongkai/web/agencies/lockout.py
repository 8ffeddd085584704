"""Login lock-out, for the staff login and the admin login alike (both call ``authenticate``).

Every attempt is counted before the password is checked (``attempts.attempt_admit``), so
fifteen wrong passwords sent at once lock the account while they are still being hashed,
and the right one sent just after is refused.  Two counts:

* per username **at one address**: ``GONGKAI_LOGIN_MAX_FAILURES`` failures lock that pair for
  ``GONGKAI_LOGIN_LOCK_MINUTES``.  An attacker elsewhere locks only themselves out, never the
  staff member at the office — a per-username lock would let any visitor lock anyone out
  with five tries.  Only usernames that exist are counted, so guessing names stores nothing.
* per **address**: ``GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS`` failures, whatever the
  usernames, lock the address for the same time (one script trying many names or many
  passwords).  It is higher than the per-user count, since one office's staff may share an
  address behind NAT.

A successful login takes its attempt back from the address and clears the pair.  While
locked even the right password is refused.  Guessing from many addresses remains bounded by
the per-pair count at each, on top of Argon2 and the password rules (10+ characters, not common).
django-axes would do this too, with its own middleware and a dozen settings we do not need.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from gongkai.web.client_address import client_address

from .attempts import Limit, attempt_admit, attempt_forgive, attempts_clear


def login_limits() -> tuple[Limit, Limit]:
    """(per address, per username at an address), from the settings."""
    window = timedelta(minutes=settings.GONGKAI_LOGIN_LOCK_MINUTES)
    return (Limit("login-address", settings.GONGKAI_LOGIN_MAX_FAILURES_PER_ADDRESS, window),
            Limit("login-user", settings.GONGKAI_LOGIN_MAX_FAILURES, window))


def _user_exists(username: str) -> bool:
    user_model = get_user_model()
    return user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).exists()


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        by_address, by_user = login_limits()
        address = client_address(request)
        pair = f"{username}@{address}"
        if not attempt_admit(by_address, address):
            return None
        if _user_exists(username) and not attempt_admit(by_user, pair):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            attempt_forgive(by_address, address)
            attempts_clear(by_user, pair)
        return user
