"""The monthly 月巡查 job: every supervising office's automatic inspection, as the run button does it.

One office at a time through ``services.inspection_run`` (the same dedup rule, so a job run twice
in a month adds nothing twice); an office whose run fails is logged and the others still run.
"""

from __future__ import annotations

import logging
from datetime import date

from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership

from .services import InspectionRun, inspection_run, portal_fetcher

log = logging.getLogger(__name__)


def inspections_run(*, today: date | None = None) -> dict[Agency, InspectionRun | None]:
    """Each office with a supervisor (主管部门 role): its run, or None when it failed."""
    today = today or timezone.localdate()
    offices = Agency.objects.filter(memberships__role=Membership.Role.SUPERVISOR).distinct().order_by("full_name")
    runs: dict[Agency, InspectionRun | None] = {}
    fetcher = portal_fetcher()  # one for all offices: a host two offices inspect is still asked at its pace
    for office in offices:
        try:
            runs[office] = inspection_run(office=office, acting_user=None, today=today, fetcher=fetcher)
        except Exception:  # one office's failure must not cost the others their month
            log.exception("monthly inspection of %s failed", office)
            runs[office] = None
            continue
        log.info("月巡查 %s：%s", office.full_name, runs[office])
        for note in runs[office].notes:
            log.warning("月巡查 %s：%s", office.full_name, note)
    return runs
