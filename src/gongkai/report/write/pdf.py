"""AnnualReport → PDF: the HTML rendering typeset by WeasyPrint, fonts embedded.

WeasyPrint embeds (subsets of) every font it uses, so the PDF shows the same glyphs on
any machine.  The CSS names the CJK fonts to use; on a machine with none of them the
Chinese text would have no glyphs at all, so :func:`render_pdf` refuses to run there.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache

from ..errors import ReportError
from ..model import AnnualReport
from .html import render_html


class MissingCJKFont(ReportError):
    """No font with Chinese glyphs is installed, so a PDF would print empty boxes."""


@cache
def _has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True  # cannot tell (no fontconfig CLI); let WeasyPrint try
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(found.stdout.strip())


def render_pdf(report: AnnualReport, *, include_issues: bool = False) -> bytes:
    return html_to_pdf(render_html(report, include_issues=include_issues))


def html_to_pdf(html: str) -> bytes:
    """Typeset self-contained HTML (fonts embedded; no file or URL is ever read).

    Shared by every PDF gongkai writes (annual reports, answer letters), so the font
    check and the no-fetching rule live in one place.
    """
    if not _has_cjk_font():
        raise MissingCJKFont("未安装中文字体，无法生成 PDF（例如：apt-get install fonts-noto-cjk）")
    import weasyprint  # imported here: it takes about a second and only PDF needs it

    return weasyprint.HTML(string=html, base_url=None, url_fetcher=_no_fetching(weasyprint)).write_pdf()


def _no_fetching(weasyprint):
    """A URL fetcher that fetches nothing: the HTML is self-contained, and refusing every
    URL keeps WeasyPrint from ever reading a local file or the network for a report."""
    fetcher_class = getattr(weasyprint.urls, "URLFetcher", None)
    if fetcher_class is not None:  # WeasyPrint 66 and later
        return fetcher_class(allowed_protocols=())

    def refuse(url: str, *args, **kwargs):
        raise ValueError(f"不读取外部资源：{url}")

    return refuse
