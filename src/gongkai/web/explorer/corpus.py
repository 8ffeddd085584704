"""The corpus the explorer reads: one DuckDB connection per process, a cursor per request.

The views over the Parquet, and the explorer's in-memory tables (``explore.prepare``), are
made once per process and made again only when an ingest has committed something since (the
corpus' markers, agencies and flags change); each request gets its own cursor, so threads
never share one.  Nothing here writes to the corpus: the Parquet is only read.
"""

from __future__ import annotations

import hashlib
import threading
import zipfile
from pathlib import Path

from django.conf import settings

from gongkai.corpus import explore
from gongkai.corpus.query import CorpusQueryError, connect
from gongkai.corpus.store import MARKERS

_lock = threading.Lock()
_open: dict[Path, tuple[tuple, object, int]] = {}  # root -> (fingerprint, connection, reports)


class CorpusMissing(Exception):
    """No corpus at GONGKAI_CORPUS_DIR (or an empty one)."""


def corpus_dir() -> Path:
    return Path(settings.GONGKAI_CORPUS_DIR)


def _fingerprint(root: Path) -> tuple:
    stamps = []
    for path in (root / MARKERS, root / "agencies.parquet", root / "flags.parquet", root / "reports"):
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def cursor():
    """A cursor on the corpus' views; CorpusMissing when there is no corpus to read."""
    root = corpus_dir()
    stamp = _fingerprint(root)
    with _lock:
        cached = _open.get(root)
        if cached is None or cached[0] != stamp:
            try:
                con = connect(root)
            except CorpusQueryError as error:
                raise CorpusMissing(str(error)) from None
            explore.prepare(con)
            # The previous connection is left to the garbage collector: a request may still hold a cursor on it.
            _open[root] = cached = (stamp, con, con.execute("SELECT count(*) FROM x_reports").fetchone()[0])
        if not cached[2]:
            raise CorpusMissing("语料目录中还没有报告。")
        return cached[1].cursor()


def source_bytes(report: dict) -> bytes | None:
    """The report's source file, only when it lies inside a source store and still holds the bytes read.

    A path (absolute, or relative to a store) or ``archive.zip!entry`` whose archive is in a store;
    a URL is never fetched here (the page links to it).  The content hash must be the report's id,
    so a file replaced since the ingest is not served as if it were the report.
    """
    origin = report.get("source_file") or ""
    if origin.startswith(("http://", "https://")):
        return None
    path, _, entry = origin.partition("!")
    for store in settings.GONGKAI_CORPUS_SOURCES:
        store = Path(store).resolve()
        candidate = (store / path).resolve()  # an absolute path stays itself
        if not candidate.is_relative_to(store) or not candidate.is_file():
            continue
        try:
            if entry:
                with zipfile.ZipFile(candidate) as archive:
                    data = archive.read(entry)
            else:
                data = candidate.read_bytes()
        except (OSError, KeyError, zipfile.BadZipFile):
            continue
        if hashlib.sha256(data).hexdigest() == report["report_id"]:
            return data
    return None
