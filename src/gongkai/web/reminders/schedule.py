"""The reminder scan without a huey worker: what ``gongkai demo`` runs beside its web server.

In production the huey consumer (``python -m gongkai.web.manage run_huey``) runs
``tasks.reminders_scan`` hourly in office hours. The demo starts no worker, so it scans once
when the data is loaded and then every ``SCAN_EVERY_SECONDS`` in a daemon thread; the scan
looks at the cases' present state, so running it more often than needed creates nothing twice.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections

from .services import reminders_send

log = logging.getLogger(__name__)

SCAN_EVERY_SECONDS = 3600


class ReminderScheduler(threading.Thread):
    """Runs ``reminders_send`` every ``every`` seconds until ``stop()``; a failed run is logged and retried."""

    def __init__(self, every: float = SCAN_EVERY_SECONDS):
        super().__init__(name="gongkai-reminders", daemon=True)
        self.every = every
        self.runs = 0
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.every):
            try:
                reminders_send()
            except Exception:  # the next run looks at the state again; the web server must go on
                log.exception("reminder scan failed")
            finally:
                close_old_connections()  # this thread's connection, not the requests'
            self.runs += 1

    def stop(self) -> None:
        self._stopped.set()
