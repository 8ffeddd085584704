"""Fixtures of the ledger tests."""

import pytest
from tests.ledger.ledgers import HEADERS, csv_text


@pytest.fixture
def ledger_file(tmp_path):
    """Write rows (lists in header order) as a CSV file in the given encoding."""

    def write(rows, headers=HEADERS, *, encoding="utf-8", name="台账.csv", text=None):
        path = tmp_path / name
        path.write_bytes((text if text is not None else csv_text(rows, headers)).encode(encoding))
        return path

    return write
