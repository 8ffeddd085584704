"""SQLite and PostgreSQL give the same matches, totals and snippets on the same data."""

import os
import sqlite3
import uuid

import pytest
from bench.bench_search import QUERIES, generate

from gongkai.search import SqliteFtsIndex

DATABASE_URL = os.environ.get("DATABASE_URL")
pytestmark = pytest.mark.skipif(not DATABASE_URL, reason="DATABASE_URL not set: needs PostgreSQL")


@pytest.fixture(scope="module")
def both():
    psycopg = pytest.importorskip("psycopg")
    from gongkai.search.postgres import PostgresIndex

    publications = generate(1500, seed=5)
    lite = SqliteFtsIndex(sqlite3.connect(":memory:"))
    lite.rebuild(publications)
    connection = psycopg.connect(DATABASE_URL, autocommit=True)
    postgres = PostgresIndex(connection, table=f"search_test_{uuid.uuid4().hex[:12]}")
    try:
        postgres.rebuild(publications)
        yield lite, postgres
    finally:
        postgres.drop_tables()
        connection.close()


def all_hits(index, query, filters):
    """Every hit, page by page: the backends rank differently, so compare whole result sets."""
    first = index.search(query, filters=filters, per_page=100)
    hits = list(first.hits)
    for number in range(2, first.pages + 1):
        hits.extend(index.search(query, filters=filters, page=number, per_page=100).hits)
    assert len(hits) == first.total
    return first.total, {hit.id: (hit.title, hit.doc_number, hit.snippet) for hit in hits}


@pytest.mark.parametrize("terms", QUERIES, ids=" ".join)
@pytest.mark.parametrize("filters", [{}, {"year": 2020}, {"agency": "江川市市民政局", "category": "政策文件"}], ids=str)
def test_same_matches(both, terms, filters):
    lite, postgres = both
    query = " ".join(terms)
    assert all_hits(lite, query, filters) == all_hits(postgres, query, filters)
