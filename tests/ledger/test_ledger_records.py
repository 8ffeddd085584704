"""gongkai.ledger.ledger_from_records: in-memory records count exactly like the same ledger file."""

from datetime import date

from gongkai.ledger import ledger_from_records, read_ledger, table_three

RECORDS = [
    {"id": "A1", "received": date(2020, 12, 20), "applicant_type": "natural_person", "closed": date(2021, 1, 10),
     "outcome": "granted"},
    {"id": "A2", "received": date(2021, 3, 5), "applicant_type": "commercial", "closed": date(2021, 3, 30),
     "outcome": "withheld.third_party_rights", "consultation_start": date(2021, 3, 10),
     "consultation_end": date(2021, 3, 12), "extension_days": 5},
    {"id": "A3", "received": date(2021, 12, 28), "applicant_type": "other"},
]


def test_records_and_file_give_the_same_table(tmp_path):
    path = tmp_path / "台账.csv"
    keys = ["id", "received", "applicant_type", "closed", "outcome", "consultation_start", "consultation_end",
            "extension_days"]
    lines = [",".join(keys)] + [",".join(str(r.get(k) or "") for k in keys) for r in RECORDS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from_file = table_three(read_ledger(path), 2021).report.applications
    from_records = table_three(ledger_from_records(RECORDS), 2021).report.applications
    assert from_records == from_file
    assert from_records["carried_forward"]["other"] == 1


def test_bad_records_are_reported_not_dropped():
    ledger = ledger_from_records([{"id": "B1", "received": date(2021, 3, 5), "applicant_type": "natural_person",
                                   "closed": date(2021, 3, 1), "outcome": "granted"}])
    assert [error.rule for error in ledger.errors]
    assert len(ledger_from_records([])) == 0
