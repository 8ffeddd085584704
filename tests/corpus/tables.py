"""Reading the corpus back in tests, with plain pyarrow."""

from pathlib import Path

from tests.conftest import FIXTURES

SEED_DIR = FIXTURES / "seeds"


def read_table(root: Path, table: str, sort: tuple[str, ...]):
    """A corpus table as sorted Python rows, read with plain pyarrow."""
    import pyarrow.dataset as ds

    parts = sorted((root / table).glob("*/part-*.parquet"))
    if not parts:
        return []
    rows = ds.dataset([str(p) for p in parts], format="parquet").to_table().to_pylist()
    return sorted(rows, key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in sort))
