"""``gongkai corpus ingest|query`` from the command line."""

import csv

import pyarrow.parquet as pq
import pytest
from tests.corpus.tables import SEED_DIR

from gongkai.cli import main


def test_ingest_then_named_question_to_csv_and_parquet(tmp_path, capsys):
    out = tmp_path / "corpus"
    assert main(["corpus", "ingest", str(SEED_DIR), "--out", str(out), "--serial"]) == 0
    assert "新读取 5 份报告" in capsys.readouterr().out
    assert main(["corpus", "query", str(out), "--question", "rates", "--csv", str(tmp_path / "rates.csv")]) == 0
    (row,) = list(csv.DictReader((tmp_path / "rates.csv").open(encoding="utf-8")))
    assert row["year"] == "2021" and float(row["handled"]) > 0
    assert float(row["granted_rate"]) == round(float(row["granted"]) / float(row["handled"]), 4)
    assert main(["corpus", "query", str(out), "--sql", "SELECT agency_key, year FROM reports ORDER BY 1",
                 "--parquet", str(tmp_path / "r.parquet")]) == 0
    assert pq.read_table(tmp_path / "r.parquet").num_rows == 5


@pytest.mark.slow  # starts a LocalCluster of worker processes, as the command does by default
def test_ingest_on_a_local_dask_cluster(tmp_path, capsys):
    assert main(["corpus", "ingest", str(SEED_DIR), "--out", str(tmp_path / "c"), "--workers", "1"]) == 0
    assert "新读取 5 份报告" in capsys.readouterr().out


@pytest.mark.slow
def test_the_local_cluster_listens_on_this_machine_only():
    """A Dask scheduler runs what it is sent: the command's own cluster is reachable from 127.0.0.1 alone."""
    import argparse
    import os
    import subprocess

    from gongkai.cli.corpus import _client

    client, cluster = _client(argparse.Namespace(scheduler=None, workers=1))
    try:
        assert client.scheduler.address.startswith("tcp://127.0.0.1:")
        assert cluster.dashboard_link.startswith("http://127.0.0.1:")
        listening = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True).stdout.splitlines()
        scheduler = [line for line in listening if f"pid={os.getpid()}," in line]  # the scheduler runs in-process
        assert scheduler and all(" 127.0.0.1:" in line for line in scheduler), scheduler
    finally:
        client.close()
        cluster.close()


def test_ingest_on_an_existing_cluster_by_address(tmp_path, capsys, dask_client):
    address = dask_client.scheduler.address
    assert main(["corpus", "ingest", str(SEED_DIR), "--out", str(tmp_path / "c"), "--scheduler", address]) == 0
    assert "新读取 5 份报告" in capsys.readouterr().out
    assert len(dask_client.scheduler_info()["workers"]) == 2  # the cluster is left running for its owner


def test_bad_queries_and_sources_are_one_chinese_line(tmp_path, capsys):
    assert main(["corpus", "query", str(tmp_path), "--question", "totals"]) == 2
    assert "不是语料目录" in capsys.readouterr().err
    main(["corpus", "ingest", str(SEED_DIR), "--out", str(tmp_path / "c"), "--serial"])
    capsys.readouterr()
    assert main(["corpus", "query", str(tmp_path / "c"), "--question", "nope"]) == 2
    assert "没有名为「nope」的问题" in capsys.readouterr().err
    assert main(["corpus", "query", str(tmp_path / "c"), "--sql", "SELECT missing FROM reports"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("gongkai: SQL 无法执行") and "Traceback" not in err
    assert main(["corpus", "ingest", str(tmp_path / "nowhere"), "--out", str(tmp_path / "d"), "--serial"]) == 2
    assert "不存在" in capsys.readouterr().err
