"""``gongkai backup`` / ``gongkai restore``: the whole site's database, online and consistent, and back.

Django is imported only when a command runs.
"""

from __future__ import annotations


def register(subparsers) -> None:
    dump = subparsers.add_parser("backup", help="在线备份整个站点的数据库（SQLite 备份接口；PostgreSQL 用 pg_dump）")
    dump.add_argument("-o", "--output", required=True, metavar="FILE", help="备份文件")
    dump.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    dump.set_defaults(handler=run_backup)

    load = subparsers.add_parser("restore", help="从备份恢复数据库（先完整校验备份文件；数据库已有数据时需加 --force）")
    load.add_argument("file", metavar="FILE", help="gongkai backup 生成的备份文件")
    load.add_argument("--force", action="store_true", help="覆盖已有数据（覆盖前先把现有数据另存到数据目录）")
    load.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    load.set_defaults(handler=run_restore)


def run_backup(args) -> int:
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from gongkai.web.transfer.backup import database_backup

    path = database_backup(args.output)
    print(f"已备份：{path}（{path.stat().st_size} 字节）")
    return 0


def run_restore(args) -> int:
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from django.core.management import call_command

    from gongkai.web.disclosure.search import search_rebuild
    from gongkai.web.transfer.backup import database_restore

    restored = database_restore(args.file, force=args.force)
    if restored.saved_before:
        print(f"恢复前的数据已另存：{restored.saved_before}")
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older gongkai: bring it up to date
    indexed = search_rebuild()
    print(f"已从 {args.file} 恢复数据库；检索索引已重建（{indexed} 条公开信息）")
    return 0
