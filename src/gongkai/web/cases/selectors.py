"""Reading applications: always through ``cases_visible_to``."""

from __future__ import annotations

import re
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


def _same_request_text(text: str) -> str:
    """The request as typed, without the spaces, line breaks and final full stop people vary."""
    return re.sub(r"\s+", "", text).rstrip("。.")


def applications_like(*, agency, applicant_id_number: str, applicant_name: str, information_sought: str,
                      limit: int = 5) -> list[Application]:
    """Earlier applications to ``agency`` by the same applicant for the same information, newest first.

    The same applicant is the same identity number when one is given, else the same name. Used
    to warn (never to refuse) when a registration looks like a repeat: the public form and the
    staff registration form both ask before registering it again.
    """
    same = Application.objects.filter(agency=agency)
    if applicant_id_number.strip():
        same = same.filter(applicant_id_number__iexact=applicant_id_number.strip())
    else:
        same = same.filter(applicant_name=applicant_name.strip())
    wanted = _same_request_text(information_sought)
    found = [a for a in same.order_by("-received_on", "-pk")[:200] if _same_request_text(a.information_sought) == wanted]
    return found[:limit]
