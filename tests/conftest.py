import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings

# Property tests check behaviour, not speed (bench/ measures speed): no per-example deadline, which a
# slow or busy machine would trip. On CI the examples are derived from the test itself, so a run is
# repeatable; elsewhere they are random and keep looking for new failures.
settings.register_profile("gongkai", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "gongkai")

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
# Real published reports kept beside the repository (not in it); tests skip without them.
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


# "Today" for the site's tests: a working Tuesday well inside the shipped calendar, so deadlines,
# overdue flags and 登记逾期 come out the same whatever day — weekend, holiday, a year with no
# schedule yet — the suite runs on.
TODAY = datetime(2026, 9, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def office_day():
    """The clock set to ``TODAY`` and running on from there (threads and the live server too)."""
    import time_machine

    with time_machine.travel(TODAY, tick=True):
        yield TODAY.date()


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
