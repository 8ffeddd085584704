"""``gongkai corpus ingest|query``: every published report as one data set (docs/corpus.md).

dask, pyarrow and duckdb are imported inside the commands, so ``gongkai --help`` stays fast.
"""

from __future__ import annotations

import os
import sys

from .errors import CommandError

# The local cluster (scheduler, workers, dashboard) listens on this machine only: a Dask scheduler runs
# whatever code it is sent, so it must not be reachable from the network.
LOOPBACK = "127.0.0.1"


def register(subparsers) -> None:
    corpus = subparsers.add_parser("corpus", help="语料库：批量读取年度报告为 Parquet，用 DuckDB 查询")
    commands = corpus.add_subparsers(dest="corpus_command", metavar="ACTION")
    commands.required = True

    ingest = commands.add_parser("ingest", help="读取文件夹、ZIP 或文件/网址列表中的年度报告，写入语料目录")
    ingest.add_argument("sources", nargs="+", metavar="SOURCE")
    ingest.add_argument("--out", required=True, metavar="DIR", help="语料目录（可续跑：已读取的文件按内容跳过）")
    ingest.add_argument("--scheduler", metavar="ADDRESS", help="已有 Dask 集群的调度器地址（默认在本机启动）")
    ingest.add_argument("--workers", type=int, metavar="N", help="本机工作进程数（默认全部 CPU 核）")
    ingest.add_argument("--batch", type=int, default=None, metavar="N", help="每个任务的文件数（默认 200）")
    ingest.add_argument("--commit", type=int, default=None, metavar="N",
                        help="每读完约 N 份报告写入一次（默认 5000；中断时尚未写入的部分续跑时重读）")
    ingest.add_argument("--serial", action="store_true", help="不启动集群：用 Dask 的同步调度器在本进程中依次读取")
    ingest.add_argument("--timeout", type=float, default=30.0, metavar="S", help="下载网址的超时秒数（默认 30）")
    ingest.add_argument("--interval", type=float, default=1.0, metavar="S", help="两次下载之间的最短间隔秒数（默认 1）")
    ingest.set_defaults(handler=run_ingest)

    query = commands.add_parser("query", help="用 SQL 或命名问题查询语料目录")
    query.add_argument("dir", metavar="DIR")
    what = query.add_mutually_exclusive_group(required=True)
    what.add_argument("--sql", metavar="SQL")
    what.add_argument("--question", metavar="NAME", help="命名问题：totals、rates、refusal_grounds、appeals_corrected")
    where = query.add_mutually_exclusive_group()
    where.add_argument("--csv", metavar="FILE", help="结果写入 CSV 文件")
    where.add_argument("--parquet", metavar="FILE", help="结果写入 Parquet 文件")
    query.set_defaults(handler=run_query)


def run_ingest(args) -> int:
    from tqdm import tqdm

    from ..corpus.ingest import COMMIT_REPORTS, DEFAULT_BATCH, OnDask, ingest
    from ..corpus.sources import Fetch, SourceError
    from ..corpus.store import StoreBusy

    for option, value in (("--workers", args.workers), ("--batch", args.batch), ("--commit", args.commit)):
        if value is not None and value < 1:
            raise CommandError(f"{option} 应为正整数")
    fetch = Fetch(timeout=args.timeout, interval=args.interval)
    batch = args.batch or DEFAULT_BATCH
    # The number of files is known only once every source is walked and hashed, so the bar counts up.
    progress = tqdm(unit="份", desc="读取报告", disable=not sys.stderr.isatty(), dynamic_ncols=True)

    def on_batch(summary) -> None:
        progress.update(summary.read + summary.failed - progress.n)
        progress.set_postfix_str(f"失败 {summary.failed}，跳过 {summary.skipped + summary.duplicates}")

    client = cluster = None
    try:
        if not args.serial:
            client, cluster = _client(args)
        executor = OnDask(client) if client else None
        summary = ingest(args.sources, args.out, executor=executor, batch_size=batch, fetch=fetch, on_batch=on_batch,
                         commit_reports=args.commit or COMMIT_REPORTS)
    except (SourceError, StoreBusy) as error:
        raise CommandError(str(error)) from None
    finally:
        progress.close()
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    for origin, reason in summary.failures:
        print(f"gongkai: {origin}: {reason}", file=sys.stderr)
    print(f"{args.out}: 共 {summary.files} 个文件；新读取 {summary.read} 份报告，失败 {summary.failed} 个，"
          f"已在语料中 {summary.skipped} 个，本次重复 {summary.duplicates} 个")
    return 0


def _client(args):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise CommandError("未安装 dask[distributed]；可用 --serial 在本进程中读取") from None
    if args.scheduler:
        try:
            return Client(args.scheduler, timeout=30), None
        except (OSError, TimeoutError) as error:
            raise CommandError(f"无法连接 Dask 调度器 {args.scheduler}：{error}") from None
    workers = args.workers or os.cpu_count() or 1
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host=LOOPBACK,
                           dashboard_address=f"{LOOPBACK}:0")
    return Client(cluster), cluster


def run_query(args) -> int:
    from ..corpus.query import CorpusQueryError, run

    try:
        con, relation = run(args.dir, sql=args.sql, question=args.question)
        if args.csv or args.parquet:
            target = args.csv or args.parquet
            if args.csv:
                relation.write_csv(target)
            else:
                relation.write_parquet(target)
            print(f"已写入 {target}（{relation.shape[0]} 行）", file=sys.stderr)
        else:
            _print_table(relation.columns, relation.fetchall())
    except CorpusQueryError as error:
        raise CommandError(str(error)) from None
    except Exception as error:  # duckdb's errors at execution time (a bad cast, a missing file)
        if type(error).__module__.split(".")[0].lstrip("_") != "duckdb":
            raise
        raise CommandError(f"查询失败：{str(error).splitlines()[0]}") from None
    return 0


def _print_table(columns, rows) -> None:
    print("\t".join(columns))
    for row in rows:
        print("\t".join("" if value is None else str(value) for value in row))
