"""Reading applications: always through ``cases_visible_to``."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.workdays import ReplyDeadline

from .models import Application


def cases_visible_to(user) -> QuerySet[Application]:
    """The applications of the agencies ``user`` may see (see ``agencies_visible_to``)."""
    return Application.objects.filter(agency__in=agencies_visible_to(user))


def application_deadline(application: Application, *, today: date) -> tuple[ReplyDeadline, bool]:
    """The reply deadline with its explanation, and whether the application is overdue on ``today``."""
    return application.reply_deadline(today=today), application.is_overdue(today)
