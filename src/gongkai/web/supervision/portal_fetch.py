"""Fetching a unit's own portal for the 月巡查, politely: one page at a time, within limits.

Plain ``http.client`` rather than ``urllib``: the connect and the read get their own timeouts,
redirects are followed here (so a loop, a hop count and a change of scheme are caught), and the
body is read in chunks that stop at ``max_bytes``.  Only http and https are fetched, only from
public addresses unless ``allow_private``; requests to one host are spaced by ``min_interval`` seconds.  No Django here: the caller passes limits.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import quote, urldefrag, urljoin, urlsplit

# Headers are Latin-1: the agent says who asks and why in ASCII.
USER_AGENT = "gongkai-inspection/0.1 (monthly government disclosure inspection; +https://github.com/gongkai)"
REDIRECTS = (301, 302, 303, 307, 308)
HTML_TYPES = ("text/html", "application/xhtml+xml")
CHUNK = 64 * 1024
_SAFE = "/%?&=:;,+@!$'()*[]~-._"


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0  # for each read from the socket
    total_timeout: float = 60.0  # for the whole response: a server dripping bytes is stopped too
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    min_interval: float = 1.0  # seconds between two requests to one host
    user_agent: str = USER_AGENT
    allow_private: bool = False  # loopback and private addresses (tests, an intranet portal)

    def __post_init__(self):
        for name in ("connect_timeout", "read_timeout", "total_timeout", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"巡查抓取设置 {name} 必须大于 0")
        if self.max_redirects < 0 or self.min_interval < 0:
            raise ValueError("巡查抓取设置 max_redirects、min_interval 不能小于 0")


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    status: int | None  # None: no response
    content_type: str = ""
    body: bytes = b""
    truncated: bool = False  # stopped at max_bytes
    error: str = ""  # why it failed, in Chinese; "" when a response came

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 300

    @property
    def reason(self) -> str:
        """Why the page does not open, for a finding's description."""
        return self.error or f"HTTP {self.status}"


def is_fetchable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Fetcher:
    """GET with the limits; remembers when it last asked each host, and how many requests it made."""

    def __init__(self, limits: FetchLimits | None = None, *, clock=time.monotonic, sleep=time.sleep):
        self.limits = limits or FetchLimits()
        self._clock, self._sleep = clock, sleep
        self._last: dict[str, float] = {}
        self.requests = 0

    def get(self, url: str, *, html_only: bool = False) -> Fetched:
        """``html_only``: a response that is not a web page is not read (its status is what counts)."""
        url = urldefrag(url)[0]
        seen = {url}
        current = url
        for _hop in range(self.limits.max_redirects + 1):
            status, headers, body, truncated, error = self._one(current, html_only)
            if error or status not in REDIRECTS:
                return Fetched(url, current, status, headers.get("content-type", ""), body, truncated, error)
            location = headers.get("location", "")
            if not location:
                return Fetched(url, current, status, error=f"HTTP {status} 重定向没有给出地址")
            target = urldefrag(urljoin(current, location))[0]
            if not is_fetchable(target):
                return Fetched(url, current, status, error=f"重定向到不支持的地址 {target[:200]}")
            if target in seen:
                return Fetched(url, current, status, error=f"重定向循环（{target[:200]}）")
            seen.add(target)
            current = target
        return Fetched(url, current, None, error=f"重定向超过 {self.limits.max_redirects} 次")

    def _wait_turn(self, host: str) -> None:
        # The interval runs from the end of the host's previous request (see ``_one``), so the
        # server sees requests at least ``min_interval`` apart however long each one took.
        last = self._last.get(host)
        if last is not None:
            wait = last + self.limits.min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)

    def _one(self, url: str, html_only: bool) -> tuple[int | None, dict[str, str], bytes, bool, str]:
        if not is_fetchable(url):
            return None, {}, b"", False, "只能检查 http 或 https 地址"
        parts = urlsplit(url)
        host = parts.hostname.lower()
        self._wait_turn(host)
        try:
            return self._request(url, parts, html_only)
        finally:
            self._last[host] = self._clock()

    def _request(self, url: str, parts, html_only: bool) -> tuple[int | None, dict[str, str], bytes, bool, str]:
        self.requests += 1
        limits = self.limits
        https = parts.scheme == "https"
        connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
        try:
            port = parts.port or (443 if https else 80)
            connection = connection_class(parts.hostname, port, timeout=limits.connect_timeout)
        except ValueError as error:  # a port that is not a number
            return None, {}, b"", False, f"地址无效（{error}）"
        # A Chinese path or query is sent percent-encoded; what is already encoded stays as it is.
        path = quote(parts.path or "/", safe=_SAFE)
        if parts.query:
            path += "?" + quote(parts.query, safe=_SAFE)
        try:
            try:
                address, refused = self._address(parts.hostname, port)
                if refused:
                    return None, {}, b"", False, refused
                connection.sock = self._connect(address, parts.hostname, https)
            except TimeoutError:
                return None, {}, b"", False, f"连接超时（{limits.connect_timeout:g} 秒）"
            except ssl.SSLError as error:
                return None, {}, b"", False, f"HTTPS 证书或加密错误（{error.reason or error}）"
            except OSError as error:
                return None, {}, b"", False, f"无法连接（{error.strerror or error}）"
            connection.sock.settimeout(limits.read_timeout)
            deadline = self._clock() + limits.total_timeout
            connection.putrequest("GET", path, skip_accept_encoding=True)
            for name, value in (("User-Agent", limits.user_agent), ("Accept", "*/*"),
                                ("Accept-Encoding", "identity"), ("Connection", "close")):
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            headers = {name.lower(): value for name, value in response.getheaders()}
            kind = headers.get("content-type", "").split(";")[0].strip().lower()
            if html_only and kind and kind not in HTML_TYPES:
                return response.status, headers, b"", True, ""  # a video or an archive: not downloaded
            body, truncated = self._read(response, deadline)
            return response.status, headers, body, truncated, ""
        except TimeoutError:
            return None, {}, b"", False, f"读取超时（{limits.read_timeout:g} 秒内没有数据）"
        except _TooSlow:
            return None, {}, b"", False, f"读取超时（{limits.total_timeout:g} 秒内没有读完）"
        except (http.client.HTTPException, OSError, UnicodeError, ValueError) as error:
            return None, {}, b"", False, f"连接中断或响应无效（{type(error).__name__}）"
        finally:
            connection.close()

    def _address(self, host: str, port: int) -> tuple[tuple | None, str]:
        """The address to connect to, resolved once (so what was checked is what is used), or why not.

        A portal on the internet never needs this machine or its private network: unless
        ``allow_private``, a name resolving to a loopback, private, link-local or reserved
        address is refused, so a roster entry cannot make the server probe its own network.
        """
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            return None, f"无法解析域名（{error.strerror or error}）"
        for family, _type, _proto, _name, address in infos:
            ip = ipaddress.ip_address(address[0].split("%")[0])
            if self.limits.allow_private or ip.is_global:
                return (family, address), ""
        return None, "地址指向本机或内部网络，不予抓取"

    def _connect(self, address: tuple, host: str, https: bool):
        family, sockaddr = address
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(self.limits.connect_timeout)
        try:
            sock.connect(sockaddr)
            if https:
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise
        return sock

    def _read(self, response, deadline: float) -> tuple[bytes, bool]:
        """The body up to ``max_bytes``; beyond it nothing more is read (``truncated``)."""
        limit = self.limits.max_bytes
        chunks, size = [], 0
        while size <= limit:
            if self._clock() > deadline:
                raise _TooSlow
            chunk = response.read1(min(CHUNK, limit + 1 - size)) if hasattr(response, "read1") else response.read(CHUNK)
            if not chunk:
                return b"".join(chunks), False
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)[:limit], True


class _TooSlow(Exception):
    pass


# ---------------------------------------------------------------- crawling one portal


ATTACHMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et")
# Pagination: the second page of a column is older by design, so it is not followed (nor judged stale).
PAGINATION_TEXTS = ("下一页", "上一页", "下页", "上页", "尾页", "末页", "首页", ">>", "<<", "»", "«", ">", "<")
# Links a 月巡查 must see, fetched before the rest whatever their depth.
PRIORITY_WORDS = ("指南", "年度报告", "年报")


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    referrer: str  # the page it is on ("" for the start)
    depth: int


@dataclass
class Visit:
    link: Link
    fetched: Fetched
    tree: object = None  # the lxml tree of an HTML page of the portal's own host


@dataclass
class Crawl:
    start: str
    visits: list[Visit] = field(default_factory=list)  # everything fetched, in order
    links: list[Link] = field(default_factory=list)  # every link seen on a fetched page (any host)
    budget_reached: bool = False

    @property
    def start_visit(self) -> Visit | None:
        return self.visits[0] if self.visits else None


def is_attachment_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(ATTACHMENT_EXTENSIONS)


def is_html(fetched: Fetched) -> bool:
    kind = fetched.content_type.split(";")[0].strip().lower()
    if kind in HTML_TYPES:
        return True
    return not kind and fetched.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def parse_html(fetched: Fetched):
    """An lxml tree of the page, or None when it cannot be read as HTML."""
    import lxml.html
    from lxml.etree import ParserError

    from gongkai.report.errors import UnreadableFile
    from gongkai.report.read.decode import decode_html

    try:
        return lxml.html.document_fromstring(decode_html(fetched.body), base_url=fetched.final_url)
    except (UnreadableFile, ParserError, ValueError):
        return None


def links_of(tree, page_url: str, depth: int) -> list[Link]:
    found = []
    base = page_url
    for element in tree.iter("base"):
        if element.get("href"):
            base = urljoin(page_url, element.get("href").strip())
            break
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        text = " ".join(anchor.text_content().split()) or (anchor.get("title") or "").strip()
        found.append(Link(url, text[:200], page_url, depth + 1))
    return found


def crawl(start_url: str, fetcher: Fetcher, *, max_pages: int, max_depth: int) -> Crawl:
    """The portal from ``start_url``, on its own host, breadth first to ``max_depth``, at most ``max_pages``
    requests' worth of pages and attachments; links to the guide and annual reports go first."""
    result = Crawl(start_url)
    host = host_of(start_url)
    queue: deque[Link] = deque([Link(urldefrag(start_url)[0], "", "", 0)])
    queued = {queue[0].url}
    while queue:
        if len(result.visits) >= max_pages:
            result.budget_reached = True
            break
        link = queue.popleft()
        fetched = fetcher.get(link.url, html_only=not is_attachment_url(link.url))
        visit = Visit(link, fetched)
        result.visits.append(visit)
        if not fetched.ok or is_attachment_url(link.url) or not is_html(fetched):
            continue
        if host_of(fetched.final_url) != host:
            continue  # redirected off the portal: checked, not crawled
        tree = parse_html(fetched)
        if tree is None:
            continue
        visit.tree = tree
        for found in links_of(tree, fetched.final_url, link.depth):
            result.links.append(found)
            if (found.url in queued or not is_fetchable(found.url) or host_of(found.url) != host
                    or (found.depth > max_depth and not is_attachment_url(found.url))
                    or found.text in PAGINATION_TEXTS or found.text.isdigit()):
                continue
            queued.add(found.url)
            if any(word in found.text for word in PRIORITY_WORDS):
                queue.appendleft(found)
            else:
                queue.append(found)
    return result
