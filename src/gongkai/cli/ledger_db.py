"""``gongkai ledger import`` / ``gongkai ledger export``: an agency's ledger into and out of the database.

Registered after ``cli/ledger.py`` (see ``COMMANDS``) as two more actions of the ``ledger`` group; Django is
imported only when one of them runs.
"""

from __future__ import annotations

import argparse
import sys

from .errors import CommandError


def _ledger_actions(subparsers) -> argparse._SubParsersAction:
    ledger = subparsers.choices["ledger"]
    return next(action for action in ledger._actions if isinstance(action, argparse._SubParsersAction))


def register(subparsers) -> None:
    actions = _ledger_actions(subparsers)
    load = actions.add_parser("import", help="把台账导入数据库中的机构（有错误行时逐条列出，不导入任何一行）")
    load.add_argument("file", metavar="LEDGER", help="台账文件（CSV 或 XLSX）")
    load.add_argument("--agency", required=True, metavar="NAME", help="机构全称")
    load.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    load.set_defaults(handler=run_import)

    dump = actions.add_parser("export", help="从数据库导出机构某年度的台账（CSV 或 XLSX，按文件扩展名）")
    dump.add_argument("--agency", required=True, metavar="NAME", help="机构全称")
    dump.add_argument("--year", required=True, type=int, metavar="Y", help="年度：导出计入该年度报告的申请")
    dump.add_argument("-o", "--output", required=True, metavar="FILE", help="输出文件（.csv 或 .xlsx）")
    dump.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    dump.set_defaults(handler=run_export)


def _agency(name: str):
    from django.db import DatabaseError

    from gongkai.web.agencies.models import Agency

    try:
        agency = Agency.objects.filter(full_name=name).first()
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（{error}）；请先运行 gongkai demo --load-only，或设置 DATABASE_URL") from None
    if agency is None:
        raise CommandError(f"数据库中没有机构「{name}」")
    return agency


def run_import(args) -> int:
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from gongkai.ledger import LedgerHasErrors
    from gongkai.web.cases.ledger_io import ledger_import

    agency = _agency(args.agency)
    try:
        result = ledger_import(agency=agency, path=args.file)
    except LedgerHasErrors as error:
        for row_error in error.errors:
            print(f"{args.file}: {row_error}", file=sys.stderr)
        print(f"台账有 {len(error.errors)} 处错误，未导入任何申请", file=sys.stderr)
        return 1
    print(f"{agency.full_name}：{result}")
    return 0


def run_export(args) -> int:
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from gongkai.web.cases.ledger_io import ledger_export_file

    path = ledger_export_file(agency=_agency(args.agency), year=args.year, path=args.output)
    print(f"已导出：{path}")
    return 0
