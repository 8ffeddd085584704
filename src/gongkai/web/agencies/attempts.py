"""Attempts counted per key in the database: the login lock-out and the public form's limits.

The count lives in a row locked for the update (``select_for_update``; SQLite's write lock
at BEGIN), so attempts sent at once are counted one after the other, by every worker
process alike — a per-process memory cache would let each gunicorn worker count alone.
An attempt is counted *before* the work it guards (checking a password, registering an
application): the attempts over the limit are refused even while the earlier ones are
still being checked.

    limit = Limit("login-address", count=20, window=timedelta(minutes=15))
    if not attempt_admit(limit, address):
        ...  # refused: more than 20 attempts within the window; locked for a whole window

Rows whose window has passed mean nothing and are deleted as new attempts come in, so the
table holds only the keys being counted now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import AttemptCounter

KEY_MAX = AttemptCounter._meta.get_field("key").max_length
PURGE_BATCH = 500


@dataclass(frozen=True)
class Limit:
    scope: str  # what is counted, the first part of the key ("login-address")
    count: int  # attempts admitted within one window
    window: timedelta

    def key(self, value: str) -> str:
        return f"{self.scope}:{value}"[:KEY_MAX]


def attempt_admit(limit: Limit, value: str) -> bool:
    """Count one attempt under ``value``; False when it is over the limit (refused).

    The attempt that goes over the limit locks the key for a whole window from then on;
    attempts while locked are refused and do not lengthen the lock.
    """
    now = timezone.now()
    with transaction.atomic():
        counter, _ = AttemptCounter.objects.select_for_update().get_or_create(
            key=limit.key(value), defaults={"window_ends_at": now + limit.window})
        if counter.window_ends_at <= now:  # the window has passed: count afresh
            counter.count, counter.blocked, counter.window_ends_at = 0, False, now + limit.window
        admitted = not counter.blocked
        if admitted:
            counter.count += 1
            if counter.count > limit.count:
                counter.blocked, counter.window_ends_at, admitted = True, now + limit.window, False
            counter.save(update_fields=["count", "blocked", "window_ends_at"])
    _purge_passed(now)
    return admitted


def limit_reached(limit: Limit, value: str) -> bool:
    """Whether ``value`` has used up its attempts (without counting one)."""
    return AttemptCounter.objects.filter(key=limit.key(value), window_ends_at__gt=timezone.now(),
                                         count__gte=limit.count).exists()


def attempt_forgive(limit: Limit, value: str) -> None:
    """Take back one counted attempt that turned out well (not while the key is locked)."""
    AttemptCounter.objects.filter(key=limit.key(value), blocked=False, count__gt=0).update(count=F("count") - 1)


def attempts_clear(limit: Limit, value: str) -> None:
    AttemptCounter.objects.filter(key=limit.key(value)).delete()


def _purge_passed(now) -> None:
    # Rows another request has locked are skipped (PostgreSQL), so this never waits on, or
    # deadlocks with, an attempt being counted; they are deleted by a later call.
    with transaction.atomic():
        passed = AttemptCounter.objects.filter(window_ends_at__lte=now).select_for_update(skip_locked=True)
        ids = list(passed.values_list("pk", flat=True)[:PURGE_BATCH])
        if ids:
            AttemptCounter.objects.filter(pk__in=ids).delete()
