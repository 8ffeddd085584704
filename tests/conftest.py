from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
# Real published reports kept beside the repository (not in it); tests skip without them.
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture
def seed_text():
    def load(prefix: str) -> str:
        (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
        return path.read_text(encoding="utf-8")

    return load


@pytest.fixture
def empty_search_index(settings, tmp_path):
    """The portal's search index, empty for this test: a new SQLite file, or on PostgreSQL the table
    emptied — a transactional test commits to it, and Django's flush empties model tables only."""
    from django.db import connection

    settings.GONGKAI_SEARCH_SQLITE = str(tmp_path / "search.sqlite3")
    if connection.vendor == "postgresql":
        from gongkai.web.disclosure.search import TABLE

        if TABLE in connection.introspection.table_names():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(TABLE)}")
