"""Hypothesis strategies shared by the tests: valid AnnualReports of both formats.

    from strategies import annual_reports

    @given(annual_reports())                  # either format, any numbers, some null
    @given(annual_reports(formats=("2019",)))
    @given(annual_reports(consistent=True))   # every 勾稽关系 holds, no nulls in 三 and 四

Every report drawn survives ``AnnualReport.from_json(report.to_json())`` unchanged.  Text
mixes CJK, ASCII and characters that mean something to HTML and Markdown, so writers and
readers meet ``<script>``, ``&``, ``|`` and ``*`` early.
"""

from __future__ import annotations

from hypothesis import strategies as st

from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport, Issue

counts = st.one_of(st.none(), st.integers(0, 99), st.integers(0, 10**6))
signed_counts = st.one_of(st.none(), st.integers(-10**4, 10**4))
# Amounts as reports print them: whole, two decimals (元) or up to six (万元).
amounts = st.one_of(
    st.none(),
    st.integers(0, 10**7),
    st.integers(0, 10**11).map(lambda n: n / 100),
    st.integers(0, 10**11).map(lambda n: n / 10**6),
)

_CJK = "政府信息公开工作年度报告本机关依申请办理结果予以部分不处理复议诉讼区县镇街道办事处委员会局"
_PLAIN = st.text(alphabet=_CJK + "0123456789，。、；：“”（）《》 abcXYZ", min_size=1, max_size=16)
MARKUP_SNIPPETS = (
    "<script>alert(1)</script>", "</td></tr></table>", "<b>", "&amp;", "&", "&#60;", '"', "'",
    "|", "||", "*", "**", "_", "#", "`", "[链接](http://example.com)", "\\", "- ", "1. ", "> ",
)
prose = st.lists(
    st.one_of(_PLAIN, _PLAIN, st.sampled_from(MARKUP_SNIPPETS), st.sampled_from(("\n", "\n\n", "　　"))),
    max_size=12,
).map("".join)
agency_names = st.one_of(
    st.none(),
    st.builds(lambda place, tail: place + tail,
              st.sampled_from(("栖霞区人民政府办公室", "南郊镇人民政府", "某市<script>alert(1)</script>局", "A&B 委员会")),
              st.sampled_from(("", "（本级）", " & 下属单位"))),
)


def _row(draw, columns, numbers=counts) -> dict:
    return {column: draw(numbers) for column in columns}


def _consistent_applications(draw, report: AnnualReport) -> None:
    """Parts drawn freely; totals, （七）总计 and 本年新收 computed so every check passes."""
    apps = report.applications
    outcome_keys = report.outcome_keys()
    small = st.integers(0, 50)
    for key in (*outcome_keys, "carried_forward"):
        apps[key] = _row(draw, tx.APPLICANT_PARTS, small)
    apps["total"] = {column: sum(apps[key][column] for key in outcome_keys) for column in tx.APPLICANT_PARTS}
    apps["carried_over"], apps["new"] = {}, {}
    for column in tx.APPLICANT_PARTS:
        handled = apps["total"][column] + apps["carried_forward"][column]
        apps["carried_over"][column] = draw(st.integers(0, handled))
        apps["new"][column] = handled - apps["carried_over"][column]
    for key in report.application_row_keys():
        apps[key]["total"] = sum(apps[key][column] for column in tx.APPLICANT_PARTS)


@st.composite
def annual_reports(draw, formats=tx.FORMATS, *, consistent: bool = False, with_issues: bool = False) -> AnnualReport:
    fmt = draw(st.sampled_from(formats))
    single_other = True if fmt == "2019" else draw(st.booleans())
    years = st.integers(2019, 2020) if fmt == "2019" else st.integers(2021, 2030)
    report = AnnualReport.empty(fmt, single_other=single_other,
                                agency=draw(agency_names), year=draw(st.one_of(st.none(), years)))

    if consistent:
        _consistent_applications(draw, report)
    else:
        for key in report.application_row_keys():
            report.applications[key] = _row(draw, tx.APPLICANT_COLUMN_KEYS)
    for block in tx.APPEAL_BLOCK_KEYS:
        if consistent:
            parts = _row(draw, tx.APPEAL_PARTS, st.integers(0, 20))
            report.appeals[block] = {**parts, "total": sum(parts.values())}
        else:
            report.appeals[block] = _row(draw, tx.APPEAL_COLUMN_KEYS)

    if fmt == "2021":
        for spec in tx.PROACTIVE_2021_LIST:
            report.proactive[spec.key] = {
                column.key: draw(amounts if column.key in spec.decimal else counts) for column in spec.columns
            }
    else:
        for spec in tx.PROACTIVE_2019_LIST:
            report.proactive_2019[spec.key] = {
                column.key: draw(amounts if column.key in spec.decimal
                                 else signed_counts if column.key in spec.signed else counts)
                for column in spec.columns
            }
        report.sync_shared_decisions()

    for key in tx.PROSE_SECTIONS:
        report.sections[key] = draw(st.one_of(st.none(), prose))
    if with_issues:
        report.issues = draw(st.lists(st.builds(
            Issue,
            rule=st.sampled_from(("applications.balance", "applications.row_total", "appeals.total")),
            severity=st.sampled_from(("error", "warning", "info")),
            where=st.sampled_from(("applications.total", "appeals.review", "sections.overview")),
            message=prose,
        ), max_size=3, unique=True))
    return report
