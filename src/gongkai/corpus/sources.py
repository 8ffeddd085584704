"""SOURCE arguments → the files to ingest, each hashed (sha256) before any reading.

A SOURCE is a folder (walked recursively, hidden files skipped), a ZIP archive (its
entries), or a list file (``.txt``/``.lst``: one path or http(s) URL a line, optionally a
tab and the 行政区划代码 of the agency; ``#`` starts a comment).  URLs are fetched here,
one at a time, with a timeout, a minimum interval between requests and a size limit.
"""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..archives import OPEN_ERRORS, READ_ERRORS
from ..report.read.sources import MAX_INPUT_BYTES
from .rows import Item

LIST_SUFFIXES = (".lst", ".list", ".urls")


@dataclass
class Fetch:
    """How URLs are fetched: seconds before giving up, seconds from one request's end to the next one, bytes at most."""

    timeout: float = 30.0
    interval: float = 1.0
    max_bytes: int = MAX_INPUT_BYTES
    _last: float = 0.0

    def get(self, url: str) -> bytes:
        # The interval runs from the end of the previous request, so a slow server is not asked faster.
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return self._get(url)
        finally:
            self._last = time.monotonic()

    def _get(self, url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": "gongkai-corpus"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(_too_large(int(length), self.max_bytes))
                data = response.read(self.max_bytes + 1)
        except urllib.error.HTTPError as error:
            raise FetchError(f"服务器返回 HTTP {error.code}") from None
        except urllib.error.URLError as error:
            raise FetchError(f"无法连接：{error.reason}") from None
        except TimeoutError:
            raise FetchError(f"{self.timeout:g} 秒内没有响应") from None
        except OSError as error:
            raise FetchError(f"下载中断：{error}") from None
        if len(data) > self.max_bytes:
            raise FetchError(_too_large(len(data), self.max_bytes))
        return data


class FetchError(Exception):
    """A URL could not be fetched; the message is the Chinese reason."""


class SourceError(Exception):
    """A SOURCE argument that is none of folder, ZIP, list file."""


@dataclass(frozen=True)
class Unfetched:
    """A file of the sources whose bytes could not be had; it becomes a failure row."""

    origin: str
    reason: str
    error: str = "FetchError"


def _too_large(size: int, limit: int) -> str:
    return f"文件过大（{size // (1024 * 1024)} MB），上限为 {limit // (1024 * 1024)} MB"


def items(sources: list[str], fetch: Fetch | None = None) -> Iterator[Item | Unfetched]:
    fetch = fetch or Fetch()
    for source in sources:
        path = Path(source)
        if source.startswith(("http://", "https://")):
            yield _url_item(source, None, fetch)
        elif path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path))):
                yield _file_item(file)
        elif path.is_file() and zipfile.is_zipfile(path) and path.suffix.lower() == ".zip":
            yield from _zip_items(path)
        elif path.is_file() and path.suffix.lower() in LIST_SUFFIXES:
            yield from _list_items(path, fetch)
        elif path.is_file():
            yield _file_item(path)
        else:
            raise SourceError(f"{source}: 不存在，应为文件夹、ZIP 压缩包或文件列表（{'/'.join(LIST_SUFFIXES)}）")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _file_item(path: Path, region_code: str | None = None) -> Item | Unfetched:
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            return Unfetched(str(path), _too_large(size, MAX_INPUT_BYTES), "UnreadableFile")
        data = path.read_bytes()
    except OSError as error:
        return Unfetched(str(path), f"无法读取文件：{error.strerror or error}", "OSError")
    return Item(origin=str(path), name=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                path=str(path.resolve()), region_code=region_code)


def _zip_items(path: Path) -> Iterator[Item | Unfetched]:
    try:
        archive = zipfile.ZipFile(path)
    except OPEN_ERRORS as error:
        yield Unfetched(str(path), f"无法打开 ZIP 压缩包：{error}", "UnreadableFile")
        return
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = PurePosixPath(info.filename)
            if info.is_dir() or any(part.startswith((".", "__MACOSX")) for part in name.parts):
                continue
            origin = f"{path}!{info.filename}"
            if info.file_size > MAX_INPUT_BYTES:
                yield Unfetched(origin, _too_large(info.file_size, MAX_INPUT_BYTES), "UnreadableFile")
                continue
            try:
                data = archive.read(info)
            except READ_ERRORS as error:
                yield Unfetched(origin, f"压缩包中的文件已损坏：{error}", "UnreadableFile")
                continue
            yield Item(origin=origin, name=name.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                       data=data)


def _list_items(path: Path, fetch: Fetch) -> Iterator[Item | Unfetched]:
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        target, _, region = line.partition("\t")
        target, region = target.strip(), region.strip() or None
        if target.startswith(("http://", "https://")):
            yield _url_item(target, region, fetch)
            continue
        file = Path(target) if Path(target).is_absolute() else path.parent / target
        if not file.is_file():
            yield Unfetched(target, f"文件列表 {path.name} 第 {number} 行：文件不存在", "UnreadableFile")
            continue
        yield _file_item(file, region)


def _url_item(url: str, region_code: str | None, fetch: Fetch) -> Item | Unfetched:
    try:
        data = fetch.get(url)
    except FetchError as error:
        return Unfetched(url, str(error))
    name = PurePosixPath(urllib.request.url2pathname(url.split("?", 1)[0])).name or "index.html"
    return Item(origin=url, name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), data=data,
                region_code=region_code)
