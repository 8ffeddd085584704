"""Limits of the public pages, counted per client address in the database (``agencies.attempts``).

* The application form: ``GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS`` new applications per
  ``GONGKAI_PUBLIC_APPLICATION_WINDOW_MINUTES`` from one address.  Each registered form starts a
  statutory deadline, so a script must not register hundreds; a resubmit of a form already
  registered is not counted, and staff registration is not limited at all.
* The progress query: ``MAX_FAILURES`` failed queries per address and per application number
  within ``WINDOW_SECONDS`` refuse further queries, the right code included.

The counts are rows in the database, so they hold across every worker process.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from gongkai.web.agencies.attempts import Limit, attempt_admit, limit_reached

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
_PROGRESS = Limit("progress-failure", MAX_FAILURES, timedelta(seconds=WINDOW_SECONDS))


def application_limit() -> Limit:
    return Limit("public-application", settings.GONGKAI_PUBLIC_APPLICATIONS_PER_ADDRESS,
                 timedelta(minutes=settings.GONGKAI_PUBLIC_APPLICATION_WINDOW_MINUTES))


def application_admit(*, ip: str) -> bool:
    """Count one new application from ``ip``; False when the address has used up its window."""
    return attempt_admit(application_limit(), ip)


def application_limit_message() -> str:
    limit = application_limit()
    minutes = int(limit.window.total_seconds() // 60)
    return (f"同一网络地址 {minutes} 分钟内最多提交 {limit.count} 份申请，请稍后再试；"
            "也可以通过信函、传真或当面向受理机构提交申请。")


def _progress_keys(ip: str, number: str) -> list[str]:
    return [f"ip:{ip}", f"number:{number}"]


def progress_is_throttled(*, ip: str, number: str) -> bool:
    return any(limit_reached(_PROGRESS, key) for key in _progress_keys(ip, number))


def progress_failure_record(*, ip: str, number: str) -> None:
    for key in _progress_keys(ip, number):
        attempt_admit(_PROGRESS, key)
