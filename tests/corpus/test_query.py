"""The named questions give the sums of the reports read, with the counts behind every rate."""

import pytest
from tests.corpus.tables import SEED_DIR

from gongkai.corpus.ingest import ingest
from gongkai.corpus.query import CorpusQueryError, run
from gongkai.report.read import read_report


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    ingest([str(SEED_DIR)], out)
    return out, [read_report(p) for p in sorted(SEED_DIR.glob("*.txt"))]


def answer(out, question):
    _, relation = run(out, question=question)
    return [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]


def total(reports, table, row, column="total"):
    return sum(getattr(r, table)[row][column] for r in reports)


def test_totals_by_year_and_region(corpus):
    out, reports = corpus
    (row,) = answer(out, "totals")
    assert (row["year"], row["region_code"], row["reports"]) == (2021, None, len(reports))
    assert row["new_applications"] == total(reports, "applications", "new")
    assert row["handled"] == total(reports, "applications", "total")
    assert row["reviews"] == total(reports, "appeals", "review")
    assert row["lawsuits"] == total(reports, "appeals", "litigation_direct") + total(
        reports, "appeals", "litigation_after_review")


def test_rates_carry_their_counts(corpus):
    out, reports = corpus
    (row,) = answer(out, "rates")
    assert row["handled"] == total(reports, "applications", "total")
    assert row["granted"] == total(reports, "applications", "granted")
    assert row["granted_rate"] == round(row["granted"] / row["handled"], 4)
    refused = sum(total(reports, "applications", key) for key in reports[0].applications if key.startswith("withheld."))
    assert row["refused"] == refused


def test_refusal_grounds_and_appeals_corrected(corpus):
    out, reports = corpus
    grounds = {row["ground"]: row for row in answer(out, "refusal_grounds")}
    assert len(grounds) == 8
    assert grounds["withheld.state_secret"]["count"] == total(reports, "applications", "withheld.state_secret")
    assert grounds["withheld.state_secret"]["label"] == "表三「属于国家秘密」行「总计」列"
    review = next(row for row in answer(out, "appeals_corrected") if row["appeal"] == "review")
    assert (review["corrected"], review["total"]) == (total(reports, "appeals", "review", "corrected"),
                                                      total(reports, "appeals", "review"))


def test_an_unknown_question_is_refused_in_chinese(corpus):
    with pytest.raises(CorpusQueryError, match="可选：totals"):
        run(corpus[0], question="everything")
