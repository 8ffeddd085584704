"""Ingest: the same Parquet on Dask and in-process; bad files, duplicates and interrupted runs."""

import hashlib
import shutil
import subprocess
import sys
import zipfile

import pyarrow.parquet as pq
import pytest
from tests.corpus.tables import SEED_DIR, read_table

from gongkai.corpus.ingest import OnDask, ingest
from gongkai.corpus.sources import Fetch
from gongkai.corpus.store import MARKERS, StoreBusy

SORTS = {"reports": ("report_id",), "cells": ("report_id", "where"), "issues": ("report_id", "position"),
         "failures": ("source_file",)}


def corpus_rows(root):
    rows = {table: read_table(root, table, sort) for table, sort in SORTS.items()}
    for derived in ("agencies", "flags"):
        rows[derived] = sorted(pq.read_table(root / f"{derived}.parquet").to_pylist(), key=str)
    return rows


def seed_copy(tmp_path, name="in"):
    folder = tmp_path / name
    shutil.copytree(SEED_DIR, folder)
    return folder


def test_a_local_dask_cluster_and_the_synchronous_scheduler_give_the_same_parquet(tmp_path, inputs, dask_client):
    serial = ingest(inputs, tmp_path / "serial", batch_size=3)
    dask = ingest(inputs, tmp_path / "dask", batch_size=3, executor=OnDask(dask_client))
    assert (serial.read, serial.failed) == (dask.read, dask.failed)
    assert serial.read >= 5
    assert corpus_rows(tmp_path / "serial") == corpus_rows(tmp_path / "dask")


def test_every_file_is_read_with_the_report_reader(tmp_path):
    from gongkai.report.read import read_report

    ingest([str(SEED_DIR)], tmp_path / "out")
    reports = read_table(tmp_path / "out", "reports", ("source_file",))
    cells = read_table(tmp_path / "out", "cells", ("report_id", "where"))
    for row in reports:
        report = read_report(row["source_file"])
        assert row["report_id"] == hashlib.sha256((SEED_DIR / row["source_name"]).read_bytes()).hexdigest()
        assert (row["agency"], row["year"], row["format"], row["kind"]) == (report.agency, report.year, report.format,
                                                                            report.source["kind"])
        assert row["issues_error"] == len(report.errors())
        assert row["ocr"] is False
        assert row["overview"] == report.sections["overview"]
        granted = [c for c in cells if c["report_id"] == row["report_id"] and c["where"] == "applications.granted.total"]
        assert [c["value"] for c in granted] == [report.applications["granted"]["total"]]


def test_a_bad_file_is_a_failure_with_its_reason_and_a_duplicate_counts_once(tmp_path):
    folder = seed_copy(tmp_path)
    first = sorted(folder.glob("*.txt"))[0]
    (folder / "copy-of-first.txt").write_bytes(first.read_bytes())
    (folder / "junk.pdf").write_bytes(b"%PDF-1.4 broken")
    summary = ingest([str(folder)], tmp_path / "out", batch_size=2)
    assert (summary.read, summary.failed, summary.duplicates) == (5, 1, 1)
    reports = read_table(tmp_path / "out", "reports", ("report_id",))
    assert len(reports) == len({r["report_id"] for r in reports}) == 5
    (failure,) = read_table(tmp_path / "out", "failures", ("source_file",))
    assert failure["source_file"].endswith("junk.pdf")
    assert failure["sha256"] == hashlib.sha256(b"%PDF-1.4 broken").hexdigest()
    assert failure["reason"] and not failure["reason"].isascii()

    again = ingest([str(folder)], tmp_path / "out")
    assert (again.read, again.failed, again.skipped, again.duplicates) == (0, 0, 6, 1)
    assert len(read_table(tmp_path / "out", "failures", ("source_file",))) == 1


def test_an_interrupted_run_restarted_loses_nothing_and_counts_nothing_twice(tmp_path, inputs):
    class Stop(Exception):
        pass

    def stop_after_two(summary):
        if summary.batches == 2:
            raise Stop

    with pytest.raises(Stop):
        ingest(inputs, tmp_path / "out", batch_size=2, commit_reports=2, on_batch=stop_after_two)
    done = read_table(tmp_path / "out", "reports", ("report_id",))
    assert len(done) == 4
    # A batch killed while writing: a part on disk with no commit marker.
    stray = next((tmp_path / "out" / "cells").glob("*/part-*.parquet"))
    shutil.copy(stray, stray.with_name("part-killed-000009.parquet"))

    restarted = ingest(inputs, tmp_path / "out", batch_size=2, commit_reports=2)
    assert restarted.removed_parts == 1
    assert restarted.skipped == 4
    ingest(inputs, tmp_path / "whole", batch_size=2)
    assert corpus_rows(tmp_path / "out") == corpus_rows(tmp_path / "whole")
    assert len(list((tmp_path / "out" / MARKERS).iterdir())) > 2


def test_a_zip_and_a_list_of_urls_are_sources(tmp_path, http_folder):
    seeds = sorted(SEED_DIR.glob("*.txt"))
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for seed in seeds[:2]:
            zf.write(seed, f"2021/{seed.name}")
    served, base = http_folder
    shutil.copy(seeds[2], served / seeds[2].name)
    (served / "big.txt").write_bytes(b"x" * 20000)
    listing = tmp_path / "urls.lst"
    listing.write_text(f"# reports of the district\n{base}/{seeds[2].name}\t320113\n{base}/missing.txt\n"
                       f"{base}/big.txt\n{seeds[3]}\n", encoding="utf-8")
    summary = ingest([str(archive), str(listing)], tmp_path / "out",
                     fetch=Fetch(timeout=5, interval=0.05, max_bytes=10000))
    assert (summary.read, summary.failed) == (4, 2), summary.failures
    reports = read_table(tmp_path / "out", "reports", ("source_file",))
    assert {r["source_file"] for r in reports} == {f"{archive}!2021/{seeds[0].name}", f"{archive}!2021/{seeds[1].name}",
                                                   f"{base}/{seeds[2].name}", str(seeds[3])}
    assert [r["region_code"] for r in reports if r["source_file"].startswith("http")] == ["320113"]
    reasons = {f["source_file"]: f["reason"] for f in read_table(tmp_path / "out", "failures", ("source_file",))}
    assert reasons == {f"{base}/missing.txt": "服务器返回 HTTP 404", f"{base}/big.txt": "文件过大（0 MB），上限为 0 MB"}

    # A failed download is retried by the next run, but recorded once.
    assert ingest([str(listing)], tmp_path / "out", fetch=Fetch(timeout=5, interval=0, max_bytes=10000)).failed == 0
    assert len(read_table(tmp_path / "out", "failures", ("source_file",))) == 2


def test_the_parquet_reads_in_plain_pyarrow_and_duckdb_without_gongkai(tmp_path):
    folder = seed_copy(tmp_path)
    (folder / "junk.pdf").write_bytes(b"%PDF-1.4 broken")  # a failure: a row with no year
    ingest([str(folder)], tmp_path / "out")
    # Each tool's plainest call on the directory of a table: pyarrow's read_table, DuckDB's glob.
    script = f"""
import json, sys
import duckdb, pyarrow.parquet as pq
root = {str(tmp_path / "out")!r}
out = {{}}
for table in ("reports", "cells", "issues", "failures"):
    arrow = pq.read_table(f"{{root}}/{{table}}")
    out[table] = [arrow.num_rows, str(arrow.schema.field("year").type), sorted(set(arrow.column("year").to_pylist()), key=str),
                  duckdb.sql(f"SELECT count(*) FROM '{{root}}/{{table}}/*/*.parquet'").fetchall()[0][0]]
out["granted"] = duckdb.sql(f\"\"\"SELECT sum(value) FROM '{{root}}/cells/*/*.parquet'
                               WHERE "table" = 'applications' AND "row" = 'granted' AND "column" = 'total'\"\"\").fetchall()[0][0]
out["agencies"] = pq.read_table(f"{{root}}/agencies.parquet").num_rows
out["flags"] = duckdb.sql(f"SELECT count(*) FROM '{{root}}/flags.parquet'").fetchall()[0][0]
assert not [m for m in sys.modules if m.startswith("gongkai")]
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                            env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    import json

    from gongkai.report.read import read_report

    out = json.loads(result.stdout)
    reports = [read_report(p) for p in sorted(SEED_DIR.glob("*.txt"))]
    assert out["reports"] == [len(reports), "int32", [2021], len(reports)]
    assert out["failures"] == [1, "int32", [None], 1]
    assert out["cells"][0] == out["cells"][3] > 0 and out["cells"][1:3] == ["int32", [2021]]
    assert out["granted"] == sum(r.applications["granted"]["total"] for r in reports)
    assert out["agencies"] == len({r.agency for r in reports})


def test_a_second_run_on_the_same_directory_is_refused_while_the_first_writes(tmp_path):
    def second_run(summary):
        with pytest.raises(StoreBusy, match="另一个 gongkai corpus ingest 正在写入此目录"):
            ingest([str(SEED_DIR)], tmp_path / "out")
        calls.append(summary.batches)

    calls = []
    ingest([str(SEED_DIR)], tmp_path / "out", batch_size=3, on_batch=second_run)
    assert calls == [1, 2]
    assert len(read_table(tmp_path / "out", "reports", ("report_id",))) == 5


@pytest.mark.parametrize(("source", "ocr"), [({"kind": "pdf"}, False), ({"kind": "pdf", "ocr": [2, 3]}, True),
                                            ({"kind": "pdf", "ocr_pages": [1]}, True), ({"kind": "image"}, True)])
def test_the_ocr_column_follows_what_the_reader_says(source, ocr):
    from gongkai.corpus.rows import was_ocred

    assert was_ocred(source) is ocr


@pytest.mark.slow  # two command processes, one killed mid-run
def test_a_run_killed_mid_run_and_restarted_loses_nothing_and_counts_nothing_twice(tmp_path):
    import os
    import signal
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEED_DIR.glob("*.txt"))
    for number in range(60):  # 60 different files (a trailing blank line apiece), one batch each
        (folder / f"{number:03d}.txt").write_bytes(seeds[number % 5].read_bytes() + b"\n" * (number // 5 + 1))
    command = [sys.executable, "-c", "import sys; from gongkai.cli import main; sys.exit(main(sys.argv[1:]))",
               "corpus", "ingest", str(folder), "--out", str(tmp_path / "out"), "--serial", "--batch", "1",
               "--commit", "1"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    markers = tmp_path / "out" / MARKERS
    deadline = time.monotonic() + 60
    while run.poll() is None and time.monotonic() < deadline:
        if markers.is_dir() and len(list(markers.iterdir())) >= 5:
            run.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    run.communicate()
    assert run.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    committed = len(list(markers.iterdir()))
    assert 5 <= committed < 60

    restarted = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    assert restarted.returncode == 0, restarted.stderr
    assert f"新读取 {60 - committed} 份报告" in restarted.stdout and f"已在语料中 {committed} 个" in restarted.stdout
    ingest([str(folder)], tmp_path / "whole")
    rows, whole = corpus_rows(tmp_path / "out"), corpus_rows(tmp_path / "whole")
    assert len(rows["reports"]) == len({r["report_id"] for r in rows["reports"]}) == 60
    assert rows == whole


def test_urls_are_fetched_at_the_set_interval_and_a_silent_server_is_given_up_after_the_timeout(tmp_path):
    import http.server
    import threading
    import time

    seed = sorted(SEED_DIR.glob("*.txt"))[0].read_bytes()
    started: list[float] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            started.append(time.monotonic())
            if self.path == "/silent":
                time.sleep(1.5)  # headers never come within the timeout
            try:
                self.send_response(200)
                self.send_header("Content-Length", str(len(seed)))
                self.end_headers()
                self.wfile.write(seed)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on /silent

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        listing = tmp_path / "urls.lst"
        listing.write_text("".join(f"{base}/{path}\n" for path in ("a.txt", "silent", "b.txt", "c.txt")), encoding="utf-8")
        summary = ingest([str(listing)], tmp_path / "out", fetch=Fetch(timeout=0.3, interval=0.25))
    finally:
        server.shutdown()
        server.server_close()
    # The four bodies are the same bytes: one report, two duplicates, one failure.
    assert (summary.read, summary.duplicates, summary.failed) == (1, 2, 1)
    (failure,) = read_table(tmp_path / "out", "failures", ("source_file",))
    assert failure["source_file"] == f"{base}/silent" and failure["reason"] == "0.3 秒内没有响应"
    gaps = [later - earlier for earlier, later in zip(started, started[1:], strict=False)]
    assert len(started) == 4 and min(gaps) >= 0.24, gaps


def test_batches_are_committed_together_and_a_run_stopped_by_an_exception_commits_what_it_read(tmp_path):
    class Stop(Exception):
        pass

    def stop_after_three(summary):
        if summary.batches == 3:
            raise Stop

    with pytest.raises(Stop):
        ingest([str(SEED_DIR)], tmp_path / "out", batch_size=1, commit_reports=1000, on_batch=stop_after_three)
    assert len(read_table(tmp_path / "out", "reports", ("report_id",))) == 3
    summary = ingest([str(SEED_DIR)], tmp_path / "out", batch_size=1)
    assert (summary.read, summary.skipped, summary.batches) == (2, 3, 2)
    # Five batches, two commits: one part per table and year for each, not one per batch.
    assert len(list((tmp_path / "out" / MARKERS).iterdir())) == 2
    assert len(list((tmp_path / "out" / "cells").glob("*/part-*.parquet"))) == 2
