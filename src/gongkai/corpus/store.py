"""The output directory: Parquet parts partitioned by year, committed batch by batch.

    DIR/reports/2021/part-<run>-<batch>.parquet          (also cells/, issues/, failures/; no year: unknown/)
    DIR/_committed/<run>-<batch>                          written after the batch's parts
    DIR/agencies.parquet, DIR/flags.parquet               rebuilt over the whole corpus

A batch counts only once its marker exists; parts without one (a run killed while
writing) are deleted when the next run opens the directory, so a restarted run neither
loses nor doubles a report.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from . import schema

MARKERS = "_committed"


class StoreBusy(Exception):
    """Another run is writing to the same directory."""


class Store:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / MARKERS).mkdir(exist_ok=True)
        except OSError as error:
            raise StoreBusy(f"{self.root}: 无法创建语料目录（{error.strerror or error}）") from None
        self.run = time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        self._lock = None

    def lock(self) -> None:
        """Hold the directory for this run: a second run would delete this one's uncommitted parts.
        An flock is released by the kernel when the process dies, so a killed run leaves no stale lock."""
        import fcntl

        self._lock = open(self.root / ".lock", "w")  # noqa: SIM115 - held until the run ends
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise StoreBusy(f"{self.root}: 另一个 gongkai corpus ingest 正在写入此目录") from None

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # ------------------------------------------------------------ opening

    def remove_uncommitted(self) -> int:
        committed = {marker.name for marker in (self.root / MARKERS).iterdir()}
        removed = 0
        for table in schema.PARTITIONED:
            for part in (self.root / table).glob("*/part-*.parquet"):
                if part.stem.removeprefix("part-") not in committed:
                    part.unlink()
                    removed += 1
            for temporary in (self.root / table).glob("*/.*.tmp"):
                temporary.unlink()
        return removed

    def known_hashes(self) -> set[str]:
        """Hashes of every file already stored, as a report or as a failure."""
        import pyarrow.dataset as ds

        known: set[str] = set()
        for table, column in (("reports", "report_id"), ("failures", "sha256")):
            if self.parts(table):
                values = ds.dataset(self.parts(table), format="parquet").to_table(columns=[column]).column(0)
                known.update(v for v in values.to_pylist() if v)
        return known

    def failed_origins(self) -> set[str]:
        """Sources whose bytes never arrived (no hash), already recorded as failures."""
        import pyarrow.dataset as ds

        if not self.parts("failures"):
            return set()
        table = ds.dataset(self.parts("failures"), format="parquet").to_table(columns=["sha256", "source_file"])
        return {origin for sha, origin in zip(*(c.to_pylist() for c in table.columns), strict=True) if sha is None}

    def parts(self, table: str) -> list[str]:
        return sorted(str(p) for p in (self.root / table).glob("*/part-*.parquet"))

    # ------------------------------------------------------------ writing

    def commit(self, batch: int, rows: dict[str, list[dict]]) -> None:
        """Write one batch's rows, each table split by year, then its marker."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        name = f"{self.run}-{batch:06d}"
        for table in schema.PARTITIONED:
            by_year: dict[int | None, list[dict]] = {}
            for row in rows.get(table, []):
                by_year.setdefault(row["year"], []).append(row)
            for year, year_rows in sorted(by_year.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
                folder = self.root / table / (schema.NULL_PARTITION if year is None else str(year))
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / f"part-{name}.parquet"
                temporary = folder / f".{target.name}.tmp"
                pq.write_table(pa.Table.from_pylist(year_rows, schema=schema.SCHEMAS[table]), temporary)
                os.replace(temporary, target)
        marker = self.root / MARKERS / name
        marker.write_text(f"{sum(len(v) for v in rows.values())}\n", encoding="ascii")

    def write_whole(self, table: str, arrow_table) -> Path:
        """Replace a derived table (agencies, flags) atomically."""
        import pyarrow.parquet as pq

        target = self.root / f"{table}.parquet"
        temporary = self.root / f".{table}.parquet.tmp"
        pq.write_table(arrow_table.cast(schema.SCHEMAS[table]), temporary)
        os.replace(temporary, target)
        return target
