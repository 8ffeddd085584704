"""Every cell of the five seed reports, in every layout made from them, against JSON written by hand."""

import json
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, SEEDS

from gongkai.report.read import read_report

EXPECTED = FIXTURES / "expected"
LAYOUTS = FIXTURES / "layouts"
COMPARED = ("agency", "year", "format", "proactive", "proactive_2019", "applications", "appeals")


def expected_for(name: str) -> dict:
    return json.loads((EXPECTED / name).read_text(encoding="utf-8"))


def differences(actual: dict, expected: dict, prefix: str = "") -> list[str]:
    """Paths where the two differ, for a failure message that names the cells."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in expected:
            found += differences(actual.get(key, "<missing>"), expected[key], f"{prefix}.{key}".strip("."))
        return found
    return [] if actual == expected else [f"{prefix}: read {actual!r}, expected {expected!r}"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_seed_reads_every_cell_right(seed):
    expected = expected_for(seed.stem + ".json")
    report = read_report(seed).to_json()
    assert differences({k: report[k] for k in COMPARED}, {k: expected[k] for k in COMPARED if k in expected}) == []
    assert [i for i in report["issues"] if i["severity"] == "error"] == []


def _layouts():
    manifest = LAYOUTS / "MANIFEST.json"
    if not manifest.exists():
        return []
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    items = entries.items() if isinstance(entries, dict) else [(e["file"], e) for e in entries]
    return [(name, entry) for name, entry in items if (LAYOUTS / name).exists()]


@pytest.mark.parametrize(("name", "entry"), _layouts(), ids=[n for n, _ in _layouts()])
def test_layout_made_from_a_seed_reads_to_the_same_cells(name, entry):
    expected = expected_for(entry["expected"])
    report = read_report(LAYOUTS / name).to_json()
    skip = set(entry.get("cannot_carry", []))
    problems = [d for d in differences({k: report[k] for k in COMPARED if k in expected},
                                       {k: expected[k] for k in COMPARED if k in expected})
                if d.split(":")[0] not in skip]
    assert problems == []


def test_every_seed_has_a_hand_written_expectation():
    assert sorted(p.stem + ".json" for p in SEEDS) == sorted(p.name for p in Path(EXPECTED).glob("*.json"))
