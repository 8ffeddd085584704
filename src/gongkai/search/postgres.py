"""Search on PostgreSQL (psycopg 3): tsvector('simple') over segmented text, plus pg_trgm.

PostgreSQL has no Chinese parser here (no zhparser, pg_jieba), so the text is segmented in
Python and 'simple' only splits on the spaces jieba put in. A stored generated tsvector
with a GIN index answers word searches; a pg_trgm GIN index on the raw title and 文号
answers the substring fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from psycopg import sql

from .base import IndexBase, Row, like_pattern, segment_publication, segment_publications
from .model import Publication
from .text import is_prefix_term

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_COLUMNS = ("id", "title", "doc_number", "body", "agency", "year", "category", "title_seg", "doc_number_seg", "body_seg")


def tsquery(terms: list[str]) -> sql.Composable:
    """A tsquery requiring every term. Terms are passed as parameters to phraseto_tsquery,
    which reads them as plain text, so user input is never tsquery syntax."""
    parts = []
    for term in terms:
        if is_prefix_term(term):
            # is_prefix_term guarantees one letter or digit: nothing in it can be syntax.
            parts.append(sql.SQL("to_tsquery('simple', {})").format(sql.Literal(f"'{term}':*")))
        else:
            parts.append(sql.SQL("phraseto_tsquery('simple', {})").format(sql.Literal(term)))
    return sql.SQL(" && ").join(parts)


class PostgresIndex(IndexBase):
    def __init__(self, connection, *, table: str = "search_publication") -> None:
        if not _IDENTIFIER.match(table):
            raise ValueError(f"not a plain SQL identifier: {table!r}")
        self.connection = connection
        self.table = sql.Identifier(table)
        self.table_name = table
        self.create_tables()

    def create_tables(self) -> None:
        name = self.table_name
        with self.connection.transaction():
            # Needs the right to create extensions once per database; a migration may do it instead.
            self.connection.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            self.connection.execute(
                sql.SQL("""
                CREATE TABLE IF NOT EXISTS {table} (
                    id bigint PRIMARY KEY,
                    title text NOT NULL,
                    doc_number text NOT NULL DEFAULT '',
                    body text NOT NULL DEFAULT '',
                    agency text NOT NULL DEFAULT '',
                    year integer,
                    category text NOT NULL DEFAULT '',
                    title_seg text NOT NULL DEFAULT '',
                    doc_number_seg text NOT NULL DEFAULT '',
                    body_seg text NOT NULL DEFAULT '',
                    -- A title word ranks above a 文号 word, above a body word (as bm25 weights on SQLite).
                    words tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('simple'::regconfig, title_seg), 'A')
                        || setweight(to_tsvector('simple'::regconfig, doc_number_seg), 'B')
                        || setweight(to_tsvector('simple'::regconfig, body_seg), 'C')
                    ) STORED
                )""").format(table=self.table)
            )
            for suffix, definition in (
                ("words", "USING gin (words)"),
                ("title_trgm", "USING gin (title gin_trgm_ops)"),
                ("doc_number_trgm", "USING gin (doc_number gin_trgm_ops)"),
                ("filters", "(agency, year, category)"),
            ):
                self.connection.execute(
                    sql.SQL("CREATE INDEX IF NOT EXISTS {index} ON {table} " + definition).format(
                        index=sql.Identifier(f"{name}_{suffix}"), table=self.table
                    )
                )

    def drop_tables(self) -> None:
        with self.connection.transaction():
            self.connection.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self.table))

    # Writing -------------------------------------------------------------------------------

    def _upsert_sql(self) -> sql.Composable:
        columns = sql.SQL(", ").join(map(sql.Identifier, _COLUMNS))
        updates = sql.SQL(", ").join(
            sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(column)) for column in _COLUMNS[1:]
        )
        return sql.SQL("INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT (id) DO UPDATE SET {updates}").format(
            table=self.table, columns=columns, values=sql.SQL(", ").join(sql.Placeholder() * len(_COLUMNS)), updates=updates
        )

    @staticmethod
    def _values(segmented) -> tuple:
        p = segmented.publication
        return (p.id, p.title, p.doc_number, p.body, p.agency, p.year, p.category,
                segmented.title, segmented.doc_number, segmented.body)

    def add(self, publication: Publication) -> None:
        with self.connection.transaction():
            self.connection.execute(self._upsert_sql(), self._values(segment_publication(publication)))

    def remove(self, publication_id: int) -> None:
        with self.connection.transaction():
            self.connection.execute(sql.SQL("DELETE FROM {} WHERE id = %s").format(self.table), (publication_id,))

    def rebuild(self, publications: Iterable[Publication], *, processes: int = 1) -> int:
        count = 0
        columns = sql.SQL(", ").join(map(sql.Identifier, _COLUMNS))
        with self.connection.transaction(), self.connection.cursor() as cursor:
            cursor.execute(sql.SQL("TRUNCATE {}").format(self.table))
            with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(self.table, columns)) as copy:
                for segmented in segment_publications(publications, processes):
                    copy.write_row(self._values(segmented))
                    count += 1
        return count

    # Reading -------------------------------------------------------------------------------

    @staticmethod
    def _filter_sql(filters: dict[str, Any]) -> tuple[sql.Composable, list[Any]]:
        names = sorted(filters)
        condition = sql.SQL("").join(sql.SQL(" AND {} = %s").format(sql.Identifier(name)) for name in names)
        return condition, [filters[name] for name in names]

    def _page(self, matches: sql.Composable, parameters: list[Any], limit: int, offset: int) -> tuple[int, list[Row]]:
        rows = self.connection.execute(
            sql.SQL("""
            WITH matches AS ({matches}),
                 page AS (SELECT id, score, count(*) OVER () AS total FROM matches
                          ORDER BY score DESC, id LIMIT %s OFFSET %s)
            SELECT page.id, page.score, page.total, t.title, t.doc_number, t.body
            FROM page JOIN {table} t ON t.id = page.id
            ORDER BY page.score DESC, page.id
            """).format(matches=matches, table=self.table),
            [*parameters, limit, offset],
        ).fetchall()
        if rows:
            total = rows[0][2]
        else:  # past the last page the window count is not there: count separately
            (total,) = self.connection.execute(
                sql.SQL("SELECT count(*) FROM ({}) AS matches").format(matches), parameters
            ).fetchone()
        return total, [Row(id, float(score), title, doc_number, body) for id, score, _, title, doc_number, body in rows]

    def _match_words(self, terms, filters, limit, offset):
        filter_sql, parameters = self._filter_sql(filters)
        matches = sql.SQL(
            "SELECT t.id, ts_rank_cd(t.words, q.query) AS score"
            " FROM {table} t, (SELECT {query} AS query) q WHERE t.words @@ q.query{filters}"
        ).format(table=self.table, query=tsquery(terms), filters=filter_sql)
        return self._page(matches, parameters, limit, offset)

    def _match_substring(self, text, filters, limit, offset):
        filter_sql, parameters = self._filter_sql(filters)
        matches = sql.SQL(
            "SELECT t.id, 0.0::real AS score FROM {table} t"
            " WHERE (t.title ILIKE %s OR t.doc_number ILIKE %s){filters}"
        ).format(table=self.table, filters=filter_sql)
        pattern = like_pattern(text)
        return self._page(matches, [pattern, pattern, *parameters], limit, offset)
