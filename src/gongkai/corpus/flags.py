"""Quality flags over the whole corpus, each naming the report, the cell and the source file.

    balance                 the report's own 勾稽关系 check failed (its error issues, rule
                            applications.balance / row_total / outcome_total, appeals.total)
    same_as_previous_year   every stated cell of tables 三 and 四 equals the same agency's
                            report of the year before (same agency_key), at least 10 of them
    text_contradicts_table  a number in the text (收到…件, 办结…件, …件结转至) differs from table 三
                            (the report's own text.applications_count issues): where is the cell
                            (新收, 办结总计 or 结转下年度), value the number in the text, previous_value
                            the cell's, other_where the passage (sections.overview)
    text_copied             a section (总体情况, 存在的主要问题, 其他) of at least similar.MIN_CHARS
                            characters, whitespace and punctuation aside, is a near-duplicate
                            (Jaccard of 5-character pieces >= similar.SIMILAR_AT = 0.5, the value) of
                            a section of another agency's report of any year: the most similar
                            one is previous_report_id, its section other_where
    text_repeats_previous_year  the same, against the same agency_key's report of the year before
    zero_total              a total cell is 0 while the parts in its row are not all 0
    jump                    a headline figure (表三 新收, 办结总计; 表四 复议总计) grew or shrank
                            by more than JUMP_FACTOR against the agency's previous year, from
                            at least JUMP_FLOOR
"""

from __future__ import annotations

from ..report.checks import TEXT_COUNT_CELLS

JUMP_FACTOR = 5.0
JUMP_FLOOR = 20
# Each flag as people read it (the explorer's filter and lists).
LABELS = {
    "balance": "勾稽关系错误",
    "text_contradicts_table": "正文数字与表三不符",
    "text_copied": "正文与其他机构雷同",
    "text_repeats_previous_year": "正文与上一年度雷同",
    "same_as_previous_year": "表三、表四与上一年度完全相同",
    "zero_total": "总计为 0 但分项不为 0",
    "jump": f"与上一年度相比变化超过 {JUMP_FACTOR:g} 倍",
}
BALANCE_RULES = ("applications.balance", "applications.row_total", "applications.outcome_total", "appeals.total")
HEADLINES = (("applications", "new", "total"), ("applications", "total", "total"), ("appeals", "review", "total"))


def _text_count_cases() -> str:
    """SQL CASE arms: the cell a text.applications_count message compares the text with, by its words."""
    return " ".join(f"WHEN i.message LIKE '%但表三{words}为%' THEN '{cell}'" for cell, words in TEXT_COUNT_CELLS.items())


SQL = f"""
WITH r AS (SELECT report_id, year, agency_key, source_file FROM reports),
balance AS (
  SELECT i.report_id, i.year, 'balance' AS flag, i."where", NULL::DOUBLE AS value, NULL AS previous_report_id,
         NULL::DOUBLE AS previous_value, r.source_file, i.message, NULL::VARCHAR AS other_where
  FROM issues i JOIN r USING (report_id)
  WHERE i.severity = 'error' AND i.rule IN {BALANCE_RULES!r}),
text_vs_table AS (
  SELECT t.report_id, t.year, 'text_contradicts_table', t.cell, t.stated, NULL, c.value, t.source_file, t.message,
         t."where"
  FROM (SELECT i.report_id, i.year, r.source_file, i.message, i."where",
               CAST(regexp_extract(i.message, '正文称「[^」]*?([0-9]+)[^0-9」]*」', 1) AS DOUBLE) AS stated,
               CASE {_text_count_cases()} END AS cell
        FROM issues i JOIN r USING (report_id) WHERE i.rule = 'text.applications_count') t
  LEFT JOIN cells c ON c.report_id = t.report_id AND c."where" = t.cell),
zero_total AS (
  SELECT t.report_id, t.year, 'zero_total', t."where", t.value, NULL, NULL, r.source_file,
         t.label || '为 0，但同一行的分项之和为 ' || CAST(sum(p.value) AS BIGINT), NULL
  FROM cells t JOIN cells p ON p.report_id = t.report_id AND p."table" = t."table" AND p."row" = t."row"
       AND p."column" <> 'total' JOIN r ON r.report_id = t.report_id
  WHERE t."column" = 'total' AND t.value = 0 AND t."table" IN ('applications', 'appeals')
  GROUP BY t.report_id, t.year, t."where", t.value, r.source_file, t.label HAVING sum(p.value) > 0),
pairs AS (
  SELECT cur.report_id, cur.year, cur.source_file, prev.report_id AS previous_report_id
  FROM r cur JOIN r prev ON prev.agency_key = cur.agency_key AND prev.year = cur.year - 1),
same AS (
  SELECT p.report_id, p.year, 'same_as_previous_year', 'applications', NULL::DOUBLE, p.previous_report_id, NULL::DOUBLE,
         p.source_file, '表三、表四的 ' || count(*) || ' 个数字与上一年度报告完全相同', NULL
  FROM pairs p
  JOIN cells a ON a.report_id = p.report_id AND a."table" IN ('applications', 'appeals') AND a.value IS NOT NULL
  LEFT JOIN cells b ON b.report_id = p.previous_report_id AND b."table" = a."table" AND b."row" = a."row"
       AND b."column" = a."column"
  GROUP BY p.report_id, p.year, p.previous_report_id, p.source_file HAVING count(*) >= 10 AND bool_and(b.value IS NOT DISTINCT FROM a.value)),
headline AS MATERIALIZED (
  SELECT report_id, "where", value, label FROM cells WHERE "where" IN {tuple('.'.join(h) for h in HEADLINES)!r}),
-- Each report's headline cells with its previous year's report, materialized before the previous
-- year's cells are joined: left to itself DuckDB joined the two years' cells on "where" alone first
-- (every report with every other), a minute at 20,000 reports.
current_year AS MATERIALIZED (
  SELECT p.report_id, p.year, p.source_file, p.previous_report_id, a."where", a.value, a.label
  FROM pairs p JOIN headline a ON a.report_id = p.report_id),
jump AS (
  SELECT a.report_id, a.year, 'jump', a."where", a.value, a.previous_report_id, b.value, a.source_file,
         a.label || '从上一年度的 ' || CAST(b.value AS BIGINT) || ' 变为 ' || CAST(a.value AS BIGINT)
         || '，超过 {JUMP_FACTOR:g} 倍', NULL
  FROM current_year a
  JOIN headline b ON b.report_id = a.previous_report_id AND b."where" = a."where"
  WHERE greatest(a.value, b.value) >= {JUMP_FLOOR}
    AND greatest(a.value, b.value) > {JUMP_FACTOR} * least(a.value, b.value))
SELECT * FROM balance UNION ALL SELECT * FROM text_vs_table UNION ALL SELECT * FROM zero_total UNION ALL SELECT * FROM same UNION ALL SELECT * FROM jump
"""
PART = {"overview": "一", "problems": "五", "other": "六"}  # the section's number in the report


def flags_table(store):
    """The ``flags`` table over everything in ``store`` (agencies already rebuilt)."""
    import pyarrow as pa

    from . import schema
    from .query import connect

    if not store.parts("reports"):
        return pa.Table.from_pylist([], schema=schema.FLAGS)
    con = connect(store.root)
    table = con.sql(SQL).arrow()
    if hasattr(table, "read_all"):
        table = table.read_all()
    table = table.rename_columns(schema.FLAGS.names).cast(schema.FLAGS)
    cursor = con.execute("SELECT report_id, year, agency_key, source_file, overview, problems, other FROM reports")
    names = [column[0] for column in cursor.description]
    reports = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    text = pa.Table.from_pylist(text_flags(reports), schema=schema.FLAGS)
    return pa.concat_tables([table, text]).sort_by([("report_id", "ascending"), ("flag", "ascending"),
                                                     ("where", "ascending")])


def text_flags(reports: list[dict]) -> list[dict]:
    """text_copied and text_repeats_previous_year rows for report rows (with agency_key, source_file)."""
    from . import similar

    source = {row["report_id"]: row["source_file"] for row in reports}
    out = []
    for match in similar.near_duplicates(similar.sections_of(reports)):
        section, other = match.section, match.other
        part = f"第{PART[section.key]}部分的文字与"
        if match.kind == "other_agency":
            flag = "text_copied"
            message = (f"{part}另外 {match.agencies} 个单位的报告相同或几乎相同"
                       f"（最相似的一份第{PART[other.key]}部分，相似度 {match.similarity:.2f}）")
        else:
            flag = "text_repeats_previous_year"
            message = f"{part}上一年度报告第{PART[other.key]}部分相同或几乎相同（相似度 {match.similarity:.2f}）"
        out.append({"report_id": section.report_id, "year": section.year, "flag": flag,
                    "where": f"sections.{section.key}", "value": round(match.similarity, 4),
                    "previous_report_id": other.report_id, "previous_value": None,
                    "source_file": source[section.report_id], "message": message,
                    "other_where": f"sections.{other.key}"})
    return out
