"""Failed progress queries are counted per client address and per application number (Django's cache).

With the default local-memory cache the count is per process; a deployment with several
processes should configure a shared cache (Redis, database) so the limit holds across them.
"""

from __future__ import annotations

from django.core.cache import cache

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _keys(ip: str, number: str) -> list[str]:
    return [f"gongkai:progress-fail:ip:{ip}", f"gongkai:progress-fail:number:{number}"]


def progress_is_throttled(*, ip: str, number: str) -> bool:
    return any((cache.get(key) or 0) >= MAX_FAILURES for key in _keys(ip, number))


def progress_failure_record(*, ip: str, number: str) -> None:
    for key in _keys(ip, number):
        if cache.add(key, 1, WINDOW_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)
