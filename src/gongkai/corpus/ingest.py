"""Ingest: plan the files, read them in batches on Dask (or in this process), commit each batch.

The driver hashes every file first: a hash already stored (a previous run, or an earlier
file of this run) is skipped, so a duplicate counts once and a restarted run does only
what is left.  Batches are submitted a few at a time (bounded memory) and their rows kept,
as Arrow tables, in the order they finish (a batch's rows do not depend on the others);
every COMMIT_REPORTS reports, at the end, and when the run stops on an exception, what is
kept is committed as one part per table and year.  Fewer, larger parts keep DuckDB fast
(100,000 reports in batches of 200 would be 3,500 files of cells); a run killed outright
loses only the reports read since its last commit, which the restarted run reads again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .rows import Item, failure_row, read_batch
from .sources import Fetch, Unfetched, items
from .store import Store

DEFAULT_BATCH = 200
COMMIT_REPORTS = 5000


@dataclass
class Summary:
    files: int = 0          # files seen in the sources
    read: int = 0           # reports stored by this run
    failed: int = 0         # failures stored by this run
    skipped: int = 0        # already in the corpus before this run
    duplicates: int = 0     # the same bytes seen earlier in this run
    removed_parts: int = 0  # uncommitted parts of an interrupted run, deleted
    batches: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


def plan(sources: list[str], store: Store, summary: Summary, batch_size: int,
         fetch: Fetch | None = None) -> Iterator[list[Item] | list[dict]]:
    """Batches of new items; failures to fetch come out as batches of ready failure rows."""
    known = store.known_hashes()
    failed_origins = store.failed_origins()
    seen: set[str] = set()
    batch: list[Item] = []
    unfetched: list[dict] = []
    for item in items(sources, fetch):
        summary.files += 1
        if isinstance(item, Unfetched):
            if item.origin not in failed_origins:
                failed_origins.add(item.origin)
                unfetched.append(failure_row(None, item.origin, item.error, item.reason))
            else:
                summary.skipped += 1
            continue
        if item.sha256 in seen:
            summary.duplicates += 1
            continue
        if item.sha256 in known:
            summary.skipped += 1
            seen.add(item.sha256)  # a second copy of it in this run is a duplicate
            continue
        seen.add(item.sha256)
        batch.append(item)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
    if unfetched:
        yield unfetched


class Serial:
    """Every batch in this process, one after another, on dask's synchronous scheduler."""

    def run(self, function: Callable, batches: Iterable) -> Iterator:
        import dask

        for batch in batches:
            yield dask.delayed(function, pure=False)(batch).compute(scheduler="synchronous")


class OnDask:
    """Batches as tasks of a dask.distributed client, at most ``window`` in flight."""

    def __init__(self, client, window: int | None = None):
        self.client = client
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        self.window = window or 2 * workers + 1

    def run(self, function: Callable, batches: Iterable) -> Iterator:
        from distributed import as_completed

        pending = as_completed()
        iterator = iter(batches)
        for batch in iterator:
            pending.add(self.client.submit(function, batch, pure=False))
            if pending.count() >= self.window:
                break
        for future in pending:
            result = future.result()
            future.release()
            yield result
            for batch in iterator:
                pending.add(self.client.submit(function, batch, pure=False))
                break


def _rows(batch):
    """A batch of items is read; a batch of failure rows (from fetching) is already rows."""
    if batch and isinstance(batch[0], dict):
        return {"failures": batch}
    return read_batch(batch)


class Pending:
    """Rows of finished batches not yet committed, as Arrow tables (compact, unlike lists of dicts)."""

    def __init__(self):
        self.tables: dict[str, list] = {}
        self.reports = 0
        self.rows = 0

    def add(self, rows: dict[str, list[dict]]) -> None:
        import pyarrow as pa

        from . import schema

        for table, table_rows in rows.items():
            if table_rows:
                self.tables.setdefault(table, []).append(pa.Table.from_pylist(table_rows, schema=schema.SCHEMAS[table]))
                self.rows += len(table_rows)
        self.reports += len(rows.get("reports", ()))

    def take(self) -> dict:
        import pyarrow as pa

        tables = {table: pa.concat_tables(parts) for table, parts in self.tables.items()}
        self.__init__()
        return tables


def ingest(sources: list[str], out, *, executor=None, batch_size: int = DEFAULT_BATCH, fetch: Fetch | None = None,
           on_batch: Callable[[Summary], None] | None = None, derive: bool = True,
           commit_reports: int = COMMIT_REPORTS) -> Summary:
    """Ingest ``sources`` into the corpus at ``out``; returns what was done.

    ``on_batch`` is called after each finished batch (a progress bar); an exception it
    raises stops the run with every finished batch committed.
    """
    store = Store(out)
    store.lock()
    try:
        summary = Summary(removed_parts=store.remove_uncommitted())
        executor = executor or Serial()
        work = plan(sources, store, summary, batch_size, fetch)
        pending, commits = Pending(), 0
        try:
            for rows in executor.run(_rows, work):
                pending.add(rows)
                summary.batches += 1
                summary.read += len(rows.get("reports", ()))
                summary.failed += len(rows.get("failures", ()))
                summary.failures.extend((row["source_file"], row["reason"]) for row in rows.get("failures", ()))
                if pending.reports >= commit_reports:
                    store.commit(commits, pending.take())
                    commits += 1
                if on_batch:
                    on_batch(summary)
        finally:
            if pending.rows:
                store.commit(commits, pending.take())
        if derive:
            rebuild_derived(store)
    finally:
        store.unlock()
    return summary


def rebuild_derived(store: Store) -> None:
    """agencies and flags are over the whole corpus, so they are rebuilt after every run."""
    from . import flags, names

    names_table = names.agencies_table(store)
    store.write_whole("agencies", names_table)
    store.write_whole("flags", flags.flags_table(store))
