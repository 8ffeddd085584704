"""The search index of the portal, kept to published, visible publications only.

On SQLite the index is an FTS5 table in its own file under the data dir (``GONGKAI_SEARCH_SQLITE``),
so writing it never commits the site's transaction; on PostgreSQL it is a table in the
site's database, written on Django's own connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from gongkai.search import Publication as SearchDocument
from gongkai.search import SearchIndex

from .models import Publication
from .selectors import publications_public

TABLE = "disclosure_search"


def search_sqlite_path() -> Path:
    configured = getattr(settings, "GONGKAI_SEARCH_SQLITE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "search.sqlite3"


@contextmanager
def search_index() -> Iterator[SearchIndex]:
    if connection.vendor == "postgresql":
        from gongkai.search.postgres import PostgresIndex

        connection.ensure_connection()
        yield PostgresIndex(connection.connection, table=TABLE)
        return
    path = search_sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30)
    try:
        from gongkai.search import SqliteFtsIndex

        yield SqliteFtsIndex(db, table=TABLE)
    finally:
        db.close()


def search_document(publication: Publication) -> SearchDocument:
    return SearchDocument(
        id=publication.pk, title=publication.title, doc_number=publication.doc_number, body=publication.body,
        agency=str(publication.agency_id), year=publication.year, category=publication.genre,
    )


def search_sync(publication_id: int) -> bool:
    """Make the index agree with the database for one publication; True when it is now indexed."""
    publication = Publication.objects.select_related("agency").filter(pk=publication_id).first()
    visible = publication is not None and publication.is_visible()
    with search_index() as index:
        if visible:
            index.add(search_document(publication))
        else:
            index.remove(publication_id)
    if publication is not None and publication.in_search_index != visible:
        Publication.objects.filter(pk=publication_id).update(in_search_index=visible)
    return visible


def search_sync_due() -> int:
    """Index scheduled publications whose time has come, and drop any that stopped being visible."""
    due = list(publications_public().filter(in_search_index=False).values_list("pk", flat=True))
    stale = list(Publication.objects.filter(in_search_index=True)
                 .exclude(pk__in=publications_public().values("pk")).values_list("pk", flat=True))
    for pk in due + stale:
        search_sync(pk)
    return len(due) + len(stale)


def search_rebuild() -> int:
    """Replace the whole index with the visible publications; returns how many were indexed."""
    now = timezone.now()
    visible = publications_public(now=now).select_related("agency").order_by("pk")
    # Read every row before writing: on PostgreSQL the index is written on the same connection
    # (COPY), which cannot interleave with a server-side cursor reading the publications.
    documents = [search_document(p) for p in visible]
    with search_index() as index:
        count = index.rebuild(documents)
    Publication.objects.filter(pk__in=publications_public(now=now).values("pk")).update(in_search_index=True)
    Publication.objects.exclude(pk__in=publications_public(now=now).values("pk")).update(in_search_index=False)
    return count
