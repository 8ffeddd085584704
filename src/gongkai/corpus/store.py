"""The output directory: Parquet parts partitioned by year, committed a few thousand reports at a time.

    DIR/reports/2021/part-<run>-<commit>.parquet         (also cells/, issues/, failures/; no year: unknown/)
    DIR/_committed/<run>-<commit>                         written after the commit's parts
    DIR/agencies.parquet, DIR/flags.parquet               rebuilt over the whole corpus

A commit counts only once its marker exists; parts without one (a run killed while
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

    def commit(self, number: int, tables: dict) -> None:
        """Write one commit's rows (per table, an Arrow table or a list of dicts), each table split
        by year, then its marker: the commit counts from that moment, all of it or nothing."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        name = f"{self.run}-{number:06d}"
        rows = 0
        for table in schema.PARTITIONED:
            data = tables.get(table)
            if data is None or len(data) == 0:
                continue
            if isinstance(data, list):
                data = pa.Table.from_pylist(data, schema=schema.SCHEMAS[table])
            rows += len(data)
            years = data.column("year")
            for year in sorted(set(years.to_pylist()), key=lambda y: (y is None, y or 0)):
                folder = self.root / table / (schema.NULL_PARTITION if year is None else str(year))
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / f"part-{name}.parquet"
                temporary = folder / f".{target.name}.tmp"
                mask = pc.is_null(years) if year is None else pc.equal(years, pa.scalar(year, pa.int32()))
                pq.write_table(data.filter(mask), temporary)
                os.replace(temporary, target)
        marker = self.root / MARKERS / name
        marker.write_text(f"{rows}\n", encoding="ascii")

    def write_whole(self, table: str, arrow_table) -> Path:
        """Replace a derived table (agencies, flags) atomically."""
        import pyarrow.parquet as pq

        target = self.root / f"{table}.parquet"
        temporary = self.root / f".{table}.parquet.tmp"
        pq.write_table(arrow_table.cast(schema.SCHEMAS[table]), temporary)
        os.replace(temporary, target)
        return target
