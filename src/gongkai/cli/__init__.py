"""The ``gongkai`` command: a thin layer over the library.

Each command lives in a module of this package with a ``register(subparsers)`` function.
``COMMANDS`` names, for every top-level command, the modules that register it; a module
is imported only when its command is run (or its help asked for), so ``gongkai report
parse`` does not load the ledger's pyarrow or Django.  Adding a command is one line here.

Expected failures raise ``GongkaiError`` subclasses, which carry their exit code, and
are printed as one line on stderr, never as a traceback.
"""

from __future__ import annotations

import importlib
import sys

from ..errors import GongkaiError
from .errors import CommandError
from .parser import ChineseArgumentParser

# command → (modules under gongkai.cli that register it, its line in ``gongkai --help``)
COMMANDS = {
    "report": (("report",), "年度报告：读取、检查、生成"),
    "deadline": (("workdays",), "计算依申请公开的答复期限（条例第三十条、第三十三条）"),
    "workdays": (("workdays",), "工作日日历：推算、查询"),
    "ledger": (("ledger", "ledger_db"), "依申请公开台账：生成表三、期限分析、检查、导入、导出"),
    "demo": (("web",), "加载演示数据并在本机启动系统"),
    "catalogue": (("catalogue",), "主动公开目录"),
    "registers": (("registers_db",), "表二登记簿：规章和行政规范性文件、年度数据"),
    "backup": (("backup",), "在线备份整个站点的数据库（SQLite 备份接口；PostgreSQL 用 pg_dump）"),
    "restore": (("backup",), "从备份恢复数据库（先完整校验备份文件；数据库已有数据时需加 --force）"),
    "export": (("export",), "导出一个机构的全部记录（JSON Lines 加附件文件，ZIP；含个人信息）"),
    "import": (("export",), "把 gongkai export 的归档导入本站（先整体校验，一次写入）"),
    "corpus": (("corpus",), "语料库：批量读取年度报告为 Parquet，用 DuckDB 查询"),
}
__all__ = ["COMMANDS", "CommandError", "main", "build_parser"]


def build_parser(command: str | None = None, *, every: bool = False) -> ChineseArgumentParser:
    """The parser with ``command`` fully registered (all of them with ``every``); the other
    commands are listed by name and help only, without importing their modules."""
    parser = ChineseArgumentParser(prog="gongkai", description="政府信息公开工作系统")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    wanted = [modules for name, (modules, _help) in COMMANDS.items() if every or name == command]
    for module in dict.fromkeys(module for modules in wanted for module in modules):
        importlib.import_module(f"{__name__}.{module}").register(subparsers)
    for name, (_modules, help_text) in COMMANDS.items():
        if name not in subparsers.choices:
            subparsers.add_parser(name, help=help_text)
    return parser


def _command_of(argv: list[str]) -> str | None:
    """The top-level command named in ``argv`` (its first word that is not an option)."""
    return next((word for word in argv if not word.startswith("-")), None)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    try:
        code = args.handler(args)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except GongkaiError as error:
        print(f"gongkai: {error}", file=sys.stderr)
        return error.exit_code
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
