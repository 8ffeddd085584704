"""``gongkai registers import``: an agency's table 二 register (documents or yearly figures) into the database.

Exit codes: 0 imported; 1 rows with errors (each printed with row, column and value,
nothing imported); 2 the file or the agency cannot be used.  Django is imported only
when the command runs.
"""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    registers = subparsers.add_parser("registers", help="表二登记簿：规章和行政规范性文件、年度数据")
    actions = registers.add_subparsers(dest="registers_command", metavar="ACTION")
    actions.required = True
    load = actions.add_parser("import", help="从 CSV 或 XLSX 导入（有错误行时逐条列出，不导入任何一行；重复导入不重复登记）")
    load.add_argument("file", metavar="FILE", help="CSV（UTF-8 或 GBK）或 XLSX 文件")
    load.add_argument("--agency", required=True, metavar="NAME", help="机构全称")
    load.add_argument("--kind", choices=("documents", "figures"),
                      help="documents：规章和行政规范性文件；figures：年度数据（默认按表头判断）")
    load.add_argument("--data-dir", metavar="DIR", help="数据目录（默认 ./var）")
    load.set_defaults(handler=run_import)


def run_import(args) -> int:
    from .ledger_db import _agency
    from .web import setup_django

    setup_django(data_dir=args.data_dir)
    from gongkai.web.registers.importing import RegisterHasErrors
    from gongkai.web.registers.services import register_import_from_command_line

    agency = _agency(args.agency)
    try:
        result = register_import_from_command_line(agency=agency, path=args.file, kind=args.kind)
    except RegisterHasErrors as error:
        for row_error in error.errors:
            print(f"{args.file}: {row_error}", file=sys.stderr)
        print(f"文件有 {len(error.errors)} 处错误，未导入任何一行", file=sys.stderr)
        return 1
    print(f"{agency.full_name}：{result}")
    return 0
