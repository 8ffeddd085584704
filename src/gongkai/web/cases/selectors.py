"""Reading applications: always through ``cases_visible_to``."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from gongkai.web.agencies.selectors import visible_agency_ids
from gongkai.workdays import ReplyDeadline

from .models import Application


def cases_visible_to(user) -> QuerySet[Application]:
    """The applications of the agencies ``user`` may see (see ``agencies_visible_to``).

    The agency ids are written into the query as a list rather than a subquery: for one agency
    the database then walks the (agency, received_on) index in the list's order instead of
    sorting every case of the agency for each page (bench/bench_web.py).
    """
    ids = visible_agency_ids(user)
    return Application.objects.all() if ids is None else Application.objects.filter(agency_id__in=sorted(ids))


def application_deadline(application: Application, *, today: date) -> tuple[ReplyDeadline, bool]:
    """The reply deadline with its explanation, and whether the application is overdue on ``today``."""
    return application.reply_deadline(today=today), application.is_overdue(today)
