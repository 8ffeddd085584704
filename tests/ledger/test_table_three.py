"""Table 三 from a ledger, by the counting rules of spec/ledger.md."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.ledger.ledgers import ledger_from_records

from gongkai.ledger import read_ledger, table_three
from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport

# id, received, applicant type, closed, outcome — with what each row is in 2021's table.
ROWS = [
    ["A01", "2020-12-20", "自然人", "2021-01-10", "予以公开"],              # carried over, granted
    ["A02", "2020-11-02", "商业企业", "2020-12-01", "予以公开"],            # not in 2021
    ["A03", "2020-12-30", "自然人", "", ""],                                # carried over and forward
    ["A04", "2021-01-04", "natural_person", "2021-02-01", "部分公开"],      # new, partially granted
    ["A05", "2021/3/5", "科研机构", "2021年3月20日", "不予公开/保护第三方合法权益"],  # new, withheld
    ["A06", "2021-12-30", "法律服务机构", "", ""],                          # new, carried forward
    ["A07", "2021-12-28", "自然人", "2022-01-05", "本机关不掌握相关政府信息"],  # new, carried forward
    ["A08", "2022-01-03", "其他", "", ""],                                  # not in 2021
    ["A09", "2021-06-01", "社会公益组织", "2021-06-01", "重复申请"],        # new, duplicate
    ["A10", "2021-07-01", "自然人", "2021-07-20", "other.no_correction"],  # new, no correction
    ["A11", "2021-12-31", "商业企业", "2021-12-31", "予以公开"],            # new, granted
    ["A12", "2020-12-31", "其他", "2021-01-01", "信访举报投诉类申请"],      # carried over, petition
    ["A13", "2020-05-06", "自然人", "2020-05-20", "other.unpaid_fee"],      # 2020 only
    ["A14", "2020-06-01", "商业企业", "2020-06-10", "其他处理"],            # 2020 only (2019 format)
]
COLUMNS = tx.APPLICANT_COLUMN_KEYS  # natural_person commercial research social_welfare legal_service other total


def cells(*values):
    return dict(zip(COLUMNS, values, strict=True))


@pytest.fixture
def ledger(ledger_file):
    return read_ledger(ledger_file(ROWS))


def test_table_three_of_2021(ledger):
    table = table_three(ledger, 2021, agency="某区政府办公室").report
    assert (table.agency, table.year, table.format) == ("某区政府办公室", 2021, "2021")
    expected = {
        "new": cells(3, 1, 1, 1, 1, 0, 7),
        "carried_over": cells(2, 0, 0, 0, 0, 1, 3),
        "granted": cells(1, 1, 0, 0, 0, 0, 2),
        "partially_granted": cells(1, 0, 0, 0, 0, 0, 1),
        "withheld.third_party_rights": cells(0, 0, 1, 0, 0, 0, 1),
        "not_processed.duplicate": cells(0, 0, 0, 1, 0, 0, 1),
        "not_processed.petition_complaint": cells(0, 0, 0, 0, 0, 1, 1),
        "other.no_correction": cells(1, 0, 0, 0, 0, 0, 1),
        "total": cells(3, 1, 1, 1, 0, 1, 7),
        "carried_forward": cells(2, 0, 0, 0, 1, 0, 3),
    }
    for key in tx.APPLICATION_ROW_KEYS_2021:
        assert table.applications[key] == expected.get(key, cells(0, 0, 0, 0, 0, 0, 0)), key
    assert table.applications["other"] is None
    # The other tables stay unstated.
    assert all(v is None for row in table.appeals.values() for v in row.values())
    assert all(v is None for row in table.proactive.values() for v in row.values())


def test_a_2020_report_uses_the_2019_format_with_one_other_row(ledger):
    table = table_three(ledger, 2020).report
    assert table.format == "2019"
    assert table.applications["other"] == cells(1, 1, 0, 0, 0, 0, 2)  # A13 (unpaid fee) and A14 (其他处理)
    assert table.applications["other.unpaid_fee"] is None
    assert table.applications["new"] == cells(3, 2, 0, 0, 0, 1, 6)
    assert table.applications["granted"] == cells(0, 1, 0, 0, 0, 0, 1)
    assert table.applications["total"] == cells(1, 2, 0, 0, 0, 0, 3)
    assert table.applications["carried_forward"] == cells(2, 0, 0, 0, 0, 1, 3)


def test_the_report_json_round_trips(ledger):
    report = table_three(ledger, 2021).report
    assert AnnualReport.loads(report.dumps()).to_json() == report.to_json()


@pytest.mark.parametrize("row, column, ids", [
    ("new", "natural_person", ["A04", "A07", "A10"]),
    ("carried_over", "total", ["A01", "A03", "A12"]),
    ("granted", "total", ["A01", "A11"]),
    ("withheld.third_party_rights", "research", ["A05"]),
    ("total", "natural_person", ["A01", "A04", "A10"]),
    ("carried_forward", "total", ["A03", "A06", "A07"]),
    ("withheld.state_secret", "total", []),
])
def test_each_cell_lists_the_applications_behind_it(ledger, row, column, ids):
    table = table_three(ledger, 2021)
    assert table.ids(row, column) == ids
    assert len(ids) == table.report.applications[row][column]


def test_cells_of_the_2019_format(ledger):
    table = table_three(ledger, 2020)
    assert table.ids("other", "total") == ["A13", "A14"]
    with pytest.raises(KeyError):
        table.ids("other.unpaid_fee", "total")


# ---------------------------------------------------------------- any ledger

START = date(2019, 1, 1)
OUTCOMES = tx.OUTCOME_KEYS
days = st.integers(0, 5 * 365)


@st.composite
def ledger_records(draw):
    records = []
    for number in range(draw(st.integers(0, 40))):
        received = START + timedelta(days=draw(days))
        record = {"id": f"R{number}", "received": received.isoformat(),
                  "applicant_type": draw(st.sampled_from(tx.APPLICANT_PARTS))}
        if draw(st.booleans()):
            closed = received + timedelta(days=draw(st.integers(0, 400)))
            outcome = draw(st.sampled_from(OUTCOMES))
            if closed.year < 2021 and draw(st.booleans()) and outcome.startswith("other."):
                outcome = "其他处理"
            record.update(closed=closed.isoformat(), outcome=outcome)
        records.append(record)
    return records


def naive_table(records, year):
    """The spec's counting rules, row by row in plain Python: the oracle for the fast path."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    single_other = year < 2021
    counts = {}

    def count(row, applicant):
        counts.setdefault(row, {}).setdefault(applicant, 0)
        counts[row][applicant] += 1

    for r in records:
        received = date.fromisoformat(r["received"])
        closed = date.fromisoformat(r["closed"]) if "closed" in r else None
        if first <= received <= last:
            count("new", r["applicant_type"])
        if received < first and (closed is None or closed >= first):
            count("carried_over", r["applicant_type"])
        if closed is not None and first <= closed <= last:
            outcome = r["outcome"]
            if outcome == "其他处理" or (single_other and outcome.startswith("other.")):
                outcome = "other"
            count(outcome, r["applicant_type"])
        if received <= last and (closed is None or closed > last):
            count("carried_forward", r["applicant_type"])
    return counts


@settings(max_examples=150, deadline=None)
@given(records=ledger_records(), year=st.integers(2019, 2023))
def test_any_ledger_balances_and_matches_the_rules(records, year):
    report = table_three(ledger_from_records(records), year).report
    rows = report.applications
    for column in COLUMNS:
        # The official balance (the table's corner note), column by column.
        assert rows["new"][column] + rows["carried_over"][column] == rows["total"][column] + rows["carried_forward"][column]
        assert rows["total"][column] == sum(rows[key][column] for key in report.outcome_keys())
    for key in report.application_row_keys():
        assert rows[key]["total"] == sum(rows[key][c] for c in tx.APPLICANT_PARTS)
    expected = naive_table(records, year)
    for key in report.application_row_keys():
        if key != "total":
            assert {c: rows[key][c] for c in tx.APPLICANT_PARTS} == {
                c: expected.get(key, {}).get(c, 0) for c in tx.APPLICANT_PARTS}, key
