"""DuckDB over the corpus: one view per table, the named questions, export to CSV/Parquet.

The views are plain ``read_parquet`` over the directory, so the same SQL works in any
DuckDB without gongkai (docs/corpus.md); ``reports`` is joined to ``agencies`` here so
that ``agency_key`` is at hand.
"""

from __future__ import annotations

from pathlib import Path

from . import schema

QUESTIONS = {
    "totals": (
        "按年度和地区汇总：报告数、新收申请、办结总计、行政复议、行政诉讼",
        """
        WITH per_report AS (
          SELECT report_id,
                 sum(value) FILTER (WHERE "table" = 'applications' AND "row" = 'new') AS new_applications,
                 sum(value) FILTER (WHERE "table" = 'applications' AND "row" = 'total') AS handled,
                 sum(value) FILTER (WHERE "table" = 'appeals' AND "row" = 'review') AS reviews,
                 sum(value) FILTER (WHERE "table" = 'appeals' AND "row" <> 'review') AS lawsuits
          FROM cells
          WHERE "column" = 'total' AND ("table" = 'appeals' OR ("table" = 'applications' AND "row" IN ('new', 'total')))
          GROUP BY report_id)
        SELECT r.year, r.region_code, count(*) AS reports, sum(new_applications) AS new_applications,
               sum(handled) AS handled, sum(reviews) AS reviews, sum(lawsuits) AS lawsuits
        FROM reports_stored r LEFT JOIN per_report USING (report_id)
        GROUP BY r.year, r.region_code ORDER BY r.year NULLS LAST, r.region_code NULLS LAST
        """),
    "rates": (
        "按年度：予以公开率、部分公开率、不予公开率，均附分子和分母（办结总计）",
        """
        WITH t AS (
          SELECT year, "row", sum(value) AS n FROM cells
          WHERE "table" = 'applications' AND "column" = 'total' AND value IS NOT NULL GROUP BY ALL)
        SELECT year,
               max(n) FILTER (WHERE "row" = 'total') AS handled,
               max(n) FILTER (WHERE "row" = 'granted') AS granted,
               round(max(n) FILTER (WHERE "row" = 'granted') / nullif(max(n) FILTER (WHERE "row" = 'total'), 0), 4) AS granted_rate,
               max(n) FILTER (WHERE "row" = 'partially_granted') AS partially_granted,
               round(max(n) FILTER (WHERE "row" = 'partially_granted') / nullif(max(n) FILTER (WHERE "row" = 'total'), 0), 4) AS partially_granted_rate,
               sum(n) FILTER (WHERE "row" LIKE 'withheld.%') AS refused,
               round(sum(n) FILTER (WHERE "row" LIKE 'withheld.%') / nullif(max(n) FILTER (WHERE "row" = 'total'), 0), 4) AS refused_rate
        FROM t GROUP BY year ORDER BY year NULLS LAST
        """),
    "refusal_grounds": (
        "按年度：不予公开的各项理由（件数及占不予公开总数的比例）",
        """
        SELECT year, "row" AS ground, any_value(label) AS label, sum(value) AS count,
               round(sum(value) / nullif(sum(sum(value)) OVER (PARTITION BY year), 0), 4) AS share
        FROM cells WHERE "table" = 'applications' AND "row" LIKE 'withheld.%' AND "column" = 'total'
        GROUP BY year, "row" ORDER BY year NULLS LAST, "row"
        """),
    "appeals_corrected": (
        "按年度：行政复议和行政诉讼中结果纠正的件数及占总数的比例",
        """
        SELECT year, "row" AS appeal,
               sum(value) FILTER (WHERE "column" = 'corrected') AS corrected,
               sum(value) FILTER (WHERE "column" = 'total') AS total,
               round(sum(value) FILTER (WHERE "column" = 'corrected') / nullif(sum(value) FILTER (WHERE "column" = 'total'), 0), 4) AS corrected_rate
        FROM cells WHERE "table" = 'appeals' GROUP BY year, "row" ORDER BY year NULLS LAST, "row"
        """),
}


class CorpusQueryError(Exception):
    """A query that cannot run: the Chinese reason."""


def connect(root: str | Path):
    """A DuckDB connection with a view for every table of the corpus at ``root``."""
    import duckdb

    root = Path(root)
    if not (root / "reports").is_dir() and not (root / "agencies.parquet").exists():
        raise CorpusQueryError(f"{root}: 不是语料目录（没有 reports/），请先运行 gongkai corpus ingest")
    con = duckdb.connect()
    for table in schema.SCHEMAS:
        source = _source(root, table)
        if source is None:
            columns = ", ".join(f'CAST(NULL AS {_duck_type(f.type)}) AS "{f.name}"' for f in schema.SCHEMAS[table])
            con.execute(f'CREATE VIEW "{table}_stored" AS SELECT {columns} WHERE false')
        else:
            con.execute(f'CREATE VIEW "{table}_stored" AS SELECT * FROM read_parquet({source}, union_by_name = true, hive_partitioning = false)')
    for table in schema.SCHEMAS:
        if table == "reports":
            con.execute('CREATE VIEW reports AS SELECT r.*, coalesce(a.agency_key, r.agency) AS agency_key '
                        'FROM reports_stored r LEFT JOIN agencies_stored a ON a.agency = r.agency')
        else:
            con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM "{table}_stored"')
    return con


def _source(root: Path, table: str) -> str | None:
    if table in schema.PARTITIONED:
        if not list((root / table).glob("*/part-*.parquet")):
            return None
        return repr(str(root / table / "*" / "part-*.parquet"))
    path = root / f"{table}.parquet"
    return repr(str(path)) if path.exists() else None


def _duck_type(arrow_type) -> str:
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        return "VARCHAR"
    if pa.types.is_boolean(arrow_type):
        return "BOOLEAN"
    if pa.types.is_floating(arrow_type):
        return "DOUBLE"
    return "BIGINT"


def run(root, sql: str | None = None, question: str | None = None):
    """The result of ``sql`` or of a named question, as a DuckDB relation's (columns, rows)."""
    import duckdb

    if question is not None:
        if question not in QUESTIONS:
            raise CorpusQueryError(f"没有名为「{question}」的问题，可选：{'、'.join(QUESTIONS)}")
        sql = QUESTIONS[question][1]
    con = connect(root)
    try:
        return con, con.sql(sql)
    except duckdb.Error as error:
        raise CorpusQueryError(f"SQL 无法执行：{str(error).splitlines()[0]}") from None


def load_report(root, report_id: str):
    """The AnnualReport stored under ``report_id``, rebuilt from the reports, cells and issues tables."""
    from ..report import taxonomy as tx
    from ..report.model import AnnualReport, Issue

    con = connect(root)
    found = con.execute("SELECT agency, year, format, kind, source_name, overview, problems, other "
                        "FROM reports WHERE report_id = ?", [report_id]).fetchone()
    if found is None:
        raise CorpusQueryError(f"语料中没有报告 {report_id}")
    agency, year, fmt, kind, name, *sections = found
    cells = con.execute('SELECT "table", "row", "column", value FROM cells WHERE report_id = ?', [report_id]).fetchall()
    single_other = any(table == "applications" and row == "other" for table, row, _, _ in cells)
    report = AnnualReport.empty(fmt, single_other=single_other, agency=agency, year=year)
    for table, row, column, value in cells:
        target = getattr(report, table)
        if target.get(row) is None:
            target[row] = {}
        spec = tx.PROACTIVE_2021.get(row) if table == "proactive" else tx.PROACTIVE_2019.get(row)
        decimal = table.startswith("proactive") and spec is not None and column in spec.decimal
        target[row][column] = None if value is None else (value if decimal else int(value))
    report.sections = dict(zip(tx.PROSE_SECTIONS, sections, strict=True))
    for rule, severity, where, message in con.execute(
            "SELECT rule, severity, \"where\", message FROM issues WHERE report_id = ? ORDER BY position",
            [report_id]).fetchall():
        report.issues.append(Issue(rule, severity, where, message))
    report.source = {"file": name, "kind": kind}
    return report
