"""An ``argparse.ArgumentParser`` that speaks Chinese to the user.

argparse builds its messages in English (``usage:``, ``the following arguments are
required``); the command line's users read Chinese.  Help headings are set at
construction, and an error message is translated by its English pattern before it is
printed; an unknown message is shown as argparse wrote it rather than lost.
"""

from __future__ import annotations

import argparse
import re
import sys

USAGE_PREFIX = "用法："
_HEADING = re.compile(r"^(位置参数|选项|命令):$", re.MULTILINE)

# argparse's error messages (Python 3.11) → Chinese. Patterns match the whole message.
_MESSAGES = (
    (r"the following arguments are required: (.+)", "缺少必需的参数：{0}"),
    (r"unrecognized arguments: (.+)", "无法识别的参数：{0}"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", "参数 {0}：无效的选项 {1}（可选：{2}）"),
    (r"invalid choice: (.+?) \(choose from (.+)\)", "无效的选项 {0}（可选：{1}）"),
    (r"argument (\S+): invalid (\w+) value: (.+)",
     lambda name, kind, value: f"参数 {name}：{value} 不是有效的{_TYPE_NAMES.get(kind, kind)}"),
    (r"argument (\S+): expected one argument", "参数 {0}：需要一个值"),
    (r"argument (\S+): expected at least one argument", "参数 {0}：至少需要一个值"),
    (r"argument (\S+): expected (\d+) arguments", "参数 {0}：需要 {1} 个值"),
    (r"argument (\S+): not allowed with argument (\S+)", "参数 {0} 不能与参数 {1} 同时使用"),
    (r"argument (\S+): ignored explicit argument (.+)", "参数 {0}：不接受值 {1}"),
    (r"one of the arguments (.+) is required", "必须给出以下参数之一：{0}"),
    (r"ambiguous option: (\S+) could match (.+)", "有歧义的选项 {0}，可能是：{1}"),
)
_TYPE_NAMES = {"int": "整数", "float": "数字"}


def translate(message: str) -> str:
    for pattern, chinese in _MESSAGES:
        match = re.fullmatch(pattern, message)
        if match:
            return chinese(*match.groups()) if callable(chinese) else chinese.format(*match.groups())
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """Help and errors in Chinese; sub-commands made with ``add_subparsers`` inherit it."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示此帮助信息并退出")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "命令")
        return super().add_subparsers(**kwargs)

    def format_usage(self) -> str:
        return _chinese_usage(super().format_usage())

    def format_help(self) -> str:
        # argparse ends a heading with an ASCII colon; Chinese text takes the full-width one.
        return _HEADING.sub(r"\1：", _chinese_usage(super().format_help()))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")


def _chinese_usage(text: str) -> str:
    return USAGE_PREFIX + text[len("usage: "):] if text.startswith("usage: ") else text
