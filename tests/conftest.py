from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
# Real published reports kept beside the repository (not in it); tests skip without them.
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture
def seed_text():
    def load(prefix: str) -> str:
        (path,) = [p for p in SEEDS if p.name.startswith(prefix)]
        return path.read_text(encoding="utf-8")

    return load
