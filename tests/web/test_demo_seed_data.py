"""The demo ships the seeds' published tables as package data; they must stay the hand-checked ones."""

from pathlib import Path

from tests.conftest import FIXTURES

import gongkai.web.demo

PACKAGED = Path(gongkai.web.demo.__file__).parent / "seeds"


def test_packaged_seed_tables_equal_the_hand_written_expectations():
    expected = sorted((FIXTURES / "expected").glob("*.json"))
    assert [p.name for p in expected] == sorted(p.name for p in PACKAGED.glob("*.json"))
    for path in expected:
        assert (PACKAGED / path.name).read_bytes() == path.read_bytes(), path.name
