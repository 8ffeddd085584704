"""Chinese full-text search over publications: one interface, SQLite and PostgreSQL backends.

Pure Python (no Django): the web layer maps its models to ``Publication`` and calls
``SearchIndex`` methods. ``PostgresIndex`` is imported from ``gongkai.search.postgres`` so
psycopg is needed only where PostgreSQL is used.
"""

from .model import FILTER_FIELDS, Hit, Publication, SearchIndex, SearchPage
from .sqlite import SqliteFtsIndex
from .text import fold, query_terms, segment

__all__ = [
    "FILTER_FIELDS",
    "Hit",
    "Publication",
    "SearchIndex",
    "SearchPage",
    "SqliteFtsIndex",
    "fold",
    "query_terms",
    "segment",
]
