"""Reading publications. The public sees only what ``publications_public`` returns."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from gongkai.web.agencies.selectors import agencies_visible_to

from .models import Publication


def publications_public(*, now=None) -> QuerySet[Publication]:
    """The one gate of the portal, search and feeds: signed, published and due (publish_at passed)."""
    return Publication.objects.filter(state=Publication.State.PUBLISHED, publish_at__isnull=False,
                                      publish_at__lte=now or timezone.now())


def publications_visible_to(user) -> QuerySet[Publication]:
    """Staff see every publication (any state) of the agencies they may see."""
    return Publication.objects.filter(agency__in=agencies_visible_to(user))


def publications_late(*, agency=None, today=None) -> list[Publication]:
    """Items published or still unpublished after the 条例第二十六条 due day (computed, not stored)."""
    queryset = Publication.objects.exclude(state=Publication.State.WITHDRAWN)
    if agency is not None:
        queryset = queryset.filter(agency=agency)
    return [publication for publication in queryset if publication.is_late(today)]
