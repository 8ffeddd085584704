"""The one base of every expected failure in gongkai.

Each carries a one-line Chinese reason and the exit code the command line uses, so
``gongkai`` prints ``str(error)`` on stderr and never a traceback for these.
"""

from __future__ import annotations

import errno


class GongkaiError(Exception):
    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None):
        self.message = message
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def at(self, path: str) -> GongkaiError:
        """The same error, naming the file it came from (unless it names one already)."""
        if self.path is None:
            self.path = path
        return self


_OS_REASONS = {
    errno.ENOENT: "所在目录不存在或不允许在此创建",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "不允许写入",
    errno.EROFS: "文件系统是只读的",
    errno.EISDIR: "这是一个目录",
    errno.EEXIST: "已存在同名文件",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENAMETOOLONG: "文件名过长",
}


def os_reason(error: OSError) -> str:
    """Why the system refused a file operation, in Chinese (its errno), for a one-line message."""
    return _OS_REASONS.get(error.errno, error.strerror or str(error))
