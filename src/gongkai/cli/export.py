"""``gongkai export`` / ``gongkai import``: one agency's records as an archive, and back into a site.

An operator's tool (shell and database access); the archive holds applicants' personal data, so
each export and import is recorded (``transfer.TransferRecord``). Django is imported only when
a command runs.
"""

from __future__ import annotations


def register(subparsers) -> None:
    dump = subparsers.add_parser("export", help="导出一个机构的全部记录（JSON Lines 加附件文件，ZIP；含个人信息）")
    dump.add_argument("--agency", required=True, metavar="NAME", help="机构全称")
    dump.add_argument("-o", "--output", required=True, metavar="FILE.zip", help="输出的 ZIP 归档")
    dump.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    dump.set_defaults(handler=run_export)

    load = subparsers.add_parser("import", help="把 gongkai export 的归档导入本站（先整体校验，一次写入）")
    load.add_argument("archive", metavar="ARCHIVE", help="gongkai export 生成的 ZIP 归档")
    load.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    load.set_defaults(handler=run_import)


def run_export(args) -> int:
    from .ledger_db import _agency
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from gongkai.web.transfer.export import agency_export

    record = agency_export(agency=_agency(args.agency), path=args.output)
    total = sum(record.counts.values())
    print(f"已导出 {record.agency.full_name} 的 {total} 条记录：{record.archive}")
    print(f"SHA-256：{record.sha256}（归档含申请人个人信息，请妥善保管；本次导出已记录）")
    return 0


def run_import(args) -> int:
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from django.core.management import call_command

    from gongkai.web.transfer.load import agency_import

    call_command("migrate", interactive=False, verbosity=0)
    result = agency_import(path=args.archive)
    print(f"{result.agency.full_name}：{result}")
    return 0
