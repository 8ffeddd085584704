"""The explorer's questions: the corpus narrowed by year, region, level and flag, and every figure's reports.

Every figure the explorer shows is a sum over one per-report value, and its drill-down lists
exactly those per-report values, from the same SQL (``_cell_values``, ``_rate_parts``), so a
list always adds up to the figure it came from.  Pure: a DuckDB connection from
``query.connect`` in (``prepare`` it once), plain Python values out.

``prepare`` copies what the questions read into compact in-memory tables — reports without
their texts, each numbered ``n``; the cells of tables 三 and 四 keyed by ``n`` with their
table, row and column as ENUMs (a few bytes a cell) — so a page's dozen questions scan memory,
not thousands of Parquet parts.

Level (省级/市级/县级/乡级) is derived from the 行政区划代码, the only place the corpus
holds it: a 6-digit code ending in 0000 is a province, ending in 00 a city (地级), else a
county (县级); a 9- or 12-digit code whose digits 7–9 are not 000 is a town (乡级).
A report without a code has no level and is left out when a level is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..report import taxonomy as tx

LEVELS = {"province": "省级", "city": "市级", "county": "县级", "town": "乡级"}
LEVEL_SQL = """CASE
  WHEN r.region_code IS NULL OR r.region_code = '' THEN NULL
  WHEN length(r.region_code) >= 9 AND substr(r.region_code, 7, 3) <> '000' THEN 'town'
  WHEN substr(r.region_code, 3, 4) = '0000' THEN 'province'
  WHEN substr(r.region_code, 5, 2) = '00' THEN 'city'
  ELSE 'county' END"""
# A rate's numerator and denominator rows of table 三 (column 总计).  不予公开 is the sum of its grounds.
RATES = {
    "granted": ("予以公开率", ("granted",)),
    "partially_granted": ("部分公开率", ("partially_granted",)),
    "refused": ("不予公开率", tuple(k for k in tx.APPLICATION_ROWS if k.startswith("withheld."))),
}
RATE_OF = "total"  # （七）总计
BINS = 10  # the histogram's bars: 0–10 %, 10–20 % … 90–100 %
SUMMED_TABLES = ("applications", "appeals")
OTHER_SUBROWS = tx.OTHER_SUBROW_KEYS


@dataclass(frozen=True)
class Selection:
    """Which reports: all of them, or those of one year, region (code prefix), level, flag."""

    year: int | None = None
    region: str = ""
    level: str = ""
    flag: str = ""

    def where(self) -> tuple[str, list]:
        """A condition on ``x_reports r`` and its parameters."""
        clauses, params = ["true"], []
        if self.year is not None:
            clauses.append("r.year = ?")
            params.append(self.year)
        if self.region:
            clauses.append("starts_with(r.region_code, ?)")
            params.append(self.region)
        if self.level:
            clauses.append("r.level = ?")
            params.append(self.level)
        if self.flag:
            clauses.append("r.n IN (SELECT n FROM x_flags WHERE flag = ?)")
            params.append(self.flag)
        return " AND ".join(clauses), params

    def reports_sql(self) -> tuple[str, list]:
        where, params = self.where()
        return f"SELECT r.n FROM x_reports r WHERE {where}", params


def _in(keys) -> str:
    """An SQL list of constant keys (taxonomy keys, never user input): ('granted', 'total')."""
    return "(" + ", ".join(f"'{key}'" for key in keys) + ")"


def _rows(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def prepare(con) -> None:
    """The in-memory tables every question reads (see the module's docstring); once per connection."""
    rows = (*tx.APPLICATION_ROW_KEYS_ALL, *tx.APPEAL_BLOCK_KEYS)
    columns = tuple(dict.fromkeys((*tx.APPLICANT_COLUMN_KEYS, *tx.APPEAL_COLUMN_KEYS)))
    con.execute(f"CREATE TYPE cell_table AS ENUM {_in(SUMMED_TABLES)}")
    con.execute(f"CREATE TYPE cell_row AS ENUM {_in(rows)}")
    con.execute(f"CREATE TYPE cell_column AS ENUM {_in(columns)}")
    con.execute(f"""CREATE TABLE x_reports AS
        SELECT (row_number() OVER (ORDER BY r.report_id))::INTEGER AS n, r.report_id, r.agency, r.agency_key,
               r.region_code, r.year, r.format, r.kind, r.issues_error, ({LEVEL_SQL}) AS level
        FROM reports r""")
    con.execute(f"""CREATE TABLE x_cells AS
        SELECT x.n, c."table"::cell_table AS "table", c."row"::cell_row AS "row", c."column"::cell_column AS "column",
               c.value
        FROM cells c JOIN x_reports x USING (report_id)
        WHERE c."table" IN {_in(SUMMED_TABLES)} AND c."row" IN {_in(rows)} AND c."column" IN {_in(columns)}""")
    con.execute("CREATE TABLE x_flags AS SELECT x.n, f.flag FROM flags f JOIN x_reports x USING (report_id)")


# ---------------------------------------------------------------- what the corpus holds

def years(con) -> list[dict]:
    """Each year with its number of reports, newest first (null year last)."""
    return _rows(con, "SELECT year, count(*) AS reports FROM x_reports GROUP BY year ORDER BY year DESC NULLS LAST", [])


def failures_count(con) -> int:
    return con.execute("SELECT count(*) FROM failures").fetchone()[0]


def levels(con, selection: Selection) -> list[dict]:
    """Reports per level (null: no 行政区划代码) in the selection."""
    where, params = selection.where()
    return _rows(con, f"SELECT r.level, count(*) AS reports FROM x_reports r WHERE {where} "
                      "GROUP BY ALL ORDER BY level NULLS LAST", params)


def flag_counts(con, selection: Selection) -> list[dict]:
    """Each flag kind: the reports of the selection flagged with it."""
    sql, params = selection.reports_sql()
    return _rows(con, f"SELECT flag, count(DISTINCT n) AS reports, count(*) AS flags FROM x_flags "
                      f"WHERE n IN ({sql}) GROUP BY flag ORDER BY flag", params)


def regions(con, selection: Selection) -> list[dict]:
    """The selection by the next level of region code under its prefix (2, 4, 6 then 9 digits)."""
    length = {0: 2, 2: 4, 4: 6}.get(len(selection.region), 9)
    where, params = selection.where()
    return _rows(con, f"""
        SELECT substr(r.region_code, 1, {length}) AS region, count(*) AS reports
        FROM x_reports r WHERE {where} AND length(r.region_code) >= {length}
        GROUP BY ALL ORDER BY region""", params)


def report_count(con, selection: Selection) -> int:
    where, params = selection.where()
    return con.execute(f"SELECT count(*) FROM x_reports r WHERE {where}", params).fetchone()[0]


# ---------------------------------------------------------------- the summed tables 三 and 四

def has_single_other(con, selection: Selection) -> bool:
    """Whether any report of the selection prints one （六）其他处理 row: the summed table then does too."""
    sql, params = selection.reports_sql()
    return con.execute(f"""SELECT count(*) > 0 FROM x_cells WHERE "table" = 'applications' AND "row" = 'other'
                           AND n IN ({sql})""", params).fetchone()[0]


def _cell_values(selection: Selection, single_other: bool) -> tuple[str, list]:
    """Per report and cell of 三/四: the value (null if unstated) and whether every part was stated.

    With ``single_other`` the three （六） sub-rows of a report count as its one （六）其他处理 row.
    """
    sql, params = selection.reports_sql()
    cells = f"""SELECT n, "table"::VARCHAR AS "table", "row"::VARCHAR AS "row", "column"::VARCHAR AS "column", value
                FROM x_cells WHERE n IN ({sql})"""
    if not single_other:  # one cell of a report per key: no grouping needed
        return f"SELECT *, value IS NOT NULL AS stated FROM ({cells})", params
    return f"""
        WITH c AS ({cells})
        SELECT *, value IS NOT NULL AS stated FROM c WHERE "row" NOT IN {_in(OTHER_SUBROWS)} AND "row" <> 'other'
        UNION ALL
        SELECT n, "table", 'other' AS "row", "column", sum(value) AS value, count(*) = count(value) AS stated
        FROM c WHERE "row" IN {_in((*OTHER_SUBROWS, 'other'))} GROUP BY n, "table", "column"
        """, params


def table_figures(con, selection: Selection, single_other: bool) -> dict[tuple[str, str, str], dict]:
    """(table, row, column) → {sum, stated: reports stating it, unstated: reports not stating it}."""
    sql, params = _cell_values(selection, single_other)
    found = _rows(con, f"""
        SELECT "table", "row", "column", sum(value) AS sum, count(*) FILTER (WHERE stated) AS stated,
               count(*) FILTER (WHERE NOT stated) AS unstated
        FROM ({sql}) GROUP BY ALL""", params)
    return {(f["table"], f["row"], f["column"]): f for f in found}


def cell_reports(con, selection: Selection, single_other: bool, table: str, row: str, column: str) -> list[dict]:
    """The reports behind one summed cell, largest first; those not stating it last (value null)."""
    sql, params = _cell_values(selection, single_other)
    return _rows(con, f"""
        SELECT r.report_id, r.agency, r.agency_key, r.region_code, r.year, c.value, c.stated
        FROM ({sql}) c JOIN x_reports r USING (n)
        WHERE c."table" = ? AND c."row" = ? AND c."column" = ?
        ORDER BY c.stated DESC, c.value DESC NULLS LAST, r.agency, r.report_id""", [*params, table, row, column])


# ---------------------------------------------------------------- rates, trends and distributions

def _rate_parts(selection: Selection, rate: str) -> tuple[str, list]:
    """Per report: the rate's numerator and denominator, for reports stating both (and a denominator > 0)."""
    _, rows = RATES[rate]
    sql, params = selection.reports_sql()
    return f"""
        SELECT n,
               sum(value) FILTER (WHERE "row" IN {_in(rows)}) AS count,
               any_value(value) FILTER (WHERE "row" = '{RATE_OF}') AS "of"
        FROM x_cells WHERE "table" = 'applications' AND "column" = 'total' AND n IN ({sql})
          AND "row" IN {_in((*rows, RATE_OF))}
        GROUP BY n
        HAVING count(value) FILTER (WHERE "row" IN {_in(rows)}) = {len(rows)}
           AND count(value) FILTER (WHERE "row" = '{RATE_OF}') = 1 AND "of" > 0""", params


def rate_by_year(con, selection: Selection, rate: str) -> list[dict]:
    """Per year: the rate's counts summed over the reports stating both, and the number of those reports."""
    sql, params = _rate_parts(selection, rate)
    return _rows(con, f"""
        SELECT r.year, sum(p.count) AS count, sum(p."of") AS "of", count(*) AS reports
        FROM ({sql}) p JOIN x_reports r USING (n) GROUP BY r.year ORDER BY r.year NULLS LAST""", params)


def _bin_sql() -> str:
    return f'least(floor(p.count / p."of" * {BINS}), {BINS - 1})::INTEGER'


def rate_histogram(con, selection: Selection, rate: str) -> list[int]:
    """How many reports (each one agency's year) have the rate in each of the BINS bins."""
    sql, params = _rate_parts(selection, rate)
    counts = dict(con.execute(f"SELECT {_bin_sql()} AS bin, count(*) FROM ({sql}) p GROUP BY bin", params).fetchall())
    return [counts.get(b, 0) for b in range(BINS)]


def rate_reports(con, selection: Selection, rate: str, bin: int | None = None) -> list[dict]:
    """The reports behind a rate (all, or those in one histogram bin), with their counts, highest rate first."""
    sql, params = _rate_parts(selection, rate)
    extra, extra_params = ("", []) if bin is None else (f"WHERE {_bin_sql()} = ?", [bin])
    return _rows(con, f"""
        SELECT r.report_id, r.agency, r.agency_key, r.region_code, r.year, p.count, p."of"
        FROM ({sql}) p JOIN x_reports r USING (n) {extra}
        ORDER BY p.count / p."of" DESC, r.agency, r.report_id""", [*params, *extra_params])


def totals_by_year(con, selection: Selection) -> list[dict]:
    """Per year: reports, and the summed 新收, 办结总计 and 行政复议总计 (each one cell of a report)."""
    where, params = selection.where()

    def summed(table, row):
        return f"""sum(value) FILTER (WHERE "table" = '{table}' AND "row" = '{row}')"""

    return _rows(con, f"""
        WITH c AS (
          SELECT n, {summed('applications', 'new')} AS new, {summed('applications', 'total')} AS handled,
                 {summed('appeals', 'review')} AS review
          FROM x_cells WHERE "column" = 'total' AND "row" IN ('new', 'total', 'review') GROUP BY n)
        SELECT r.year, count(*) AS reports, sum(c.new) AS new, sum(c.handled) AS handled, sum(c.review) AS review
        FROM x_reports r LEFT JOIN c USING (n) WHERE {where}
        GROUP BY r.year ORDER BY r.year NULLS LAST""", params)


# ---------------------------------------------------------------- lists and one report

def report_list(con, selection: Selection, limit: int, offset: int = 0) -> list[dict]:
    where, params = selection.where()
    return _rows(con, f"""
        SELECT r.report_id, r.agency, r.agency_key, r.region_code, r.year, r.kind, r.issues_error,
               (SELECT count(*) FROM x_flags f WHERE f.n = r.n) AS flags
        FROM x_reports r WHERE {where} ORDER BY r.year DESC NULLS LAST, r.agency, r.report_id
        LIMIT {int(limit)} OFFSET {int(offset)}""", params)


def report(con, report_id: str) -> dict | None:
    found = _rows(con, f"SELECT r.*, ({LEVEL_SQL}) AS level FROM reports r WHERE r.report_id = ?", [report_id])
    return found[0] if found else None


def report_flags(con, report_id: str) -> list[dict]:
    return _rows(con, 'SELECT * FROM flags WHERE report_id = ? ORDER BY flag, "where"', [report_id])


def report_cells(con, report_id: str) -> list[dict]:
    return _rows(con, 'SELECT "table", "row", "column", value, null_reason, "where", label FROM cells '
                      'WHERE report_id = ?', [report_id])


def report_issues(con, report_id: str) -> list[dict]:
    return _rows(con, 'SELECT rule, severity, "where", message FROM issues WHERE report_id = ? ORDER BY position',
                 [report_id])
