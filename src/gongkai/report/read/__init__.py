"""Read a published annual report — text, Markdown, HTML, DOCX, PDF, .doc — into an AnnualReport.

The pipeline, named by its conversions::

    bytes_to_text   (sources: sniff the kind, decode, extract the text layer; PDFs by
                     their geometry, scans and images by OCR)
    text_to_report  (meta: title, year, sections; tables: cells of 二、三、四)
    check           (checks: the consistency rules, as issues)
    keep_confirmed  (ocr_trust: a number OCR read stays only where the arithmetic confirms it)

``read_report`` raises ``ReportError`` subclasses for files that cannot be read or are
not annual reports; everything else — an ambiguous cell, a missing row, a table cut
off — comes back as a partial report whose ``issues`` say what went wrong.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .. import names
from .. import taxonomy as tx
from ..checks import check_report
from ..errors import NotAnnualReport, Pre2019Report, ReportError, UnreadableFile
from ..model import AnnualReport
from . import meta, tables
from .sources import MAX_INPUT_BYTES, extract, sniff, to_text
from .text import fold_width, strip_page_furniture

__all__ = ["read_report", "bytes_to_text", "text_to_report"]

# Footer lines of web pages that are not part of section 六.
_FOOTER_MARKERS = ("主办单位", "网站标识码", "附件下载", "相关链接", "推荐使用", "版权所有", "ICP备", "联系我们", "扫一扫")


_WORD_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


def read_report(source: str | os.PathLike | bytes, *, filename: str | None = None) -> AnnualReport:
    """Read one report file (a path, or its bytes with an optional file name)."""
    if isinstance(source, bytes):
        data, name = source, filename
        shown = name or "<input>"
    else:
        shown = str(source)
        path = Path(source)
        name = filename or path.name
        try:
            if path.stat().st_size > MAX_INPUT_BYTES:
                raise UnreadableFile(f"文件过大（{path.stat().st_size // (1024 * 1024)} MB），上限为 "
                                     f"{MAX_INPUT_BYTES // (1024 * 1024)} MB", path=str(source))
            data = path.read_bytes()
        except FileNotFoundError:
            raise UnreadableFile("文件不存在", path=str(source)) from None
        except IsADirectoryError:
            raise UnreadableFile("这是一个目录，不是文件", path=str(source)) from None
        except PermissionError:
            raise UnreadableFile("没有读取权限", path=str(source)) from None
    try:
        kind = sniff(data, name)
        if kind == "json":
            from .decode import decode_text

            report = AnnualReport.loads(decode_text(data))
        else:
            pages = extract(data, kind)
            try:
                report = text_to_report(pages.text)
            except NotAnnualReport as error:
                if not pages.ocr_pages or isinstance(error, Pre2019Report):
                    raise
                raise NotAnnualReport(f"扫描页经文字识别后{error.message}") from None
    except ReportError as error:
        raise error.at(shown) from None
    if kind == "json":
        check_report(report)  # the numbers may have been edited by hand: check them again
    report.source = {"file": name, "kind": kind} if name else {"kind": kind}
    if kind != "json" and pages.ocr_pages:
        from .ocr_trust import keep_confirmed, ocr_tables

        keep_confirmed(report, ocr_tables(pages.pages, pages.ocr_pages))
        report.source["ocr_pages"] = list(pages.ocr_pages)
    return report


def bytes_to_text(data: bytes, kind: str) -> str:
    return to_text(data, kind)


def text_to_report(text: str) -> AnnualReport:
    """Read the report in ``text``: agency, year, format, tables, sections, and checks."""
    text = strip_page_furniture(text)
    folded = fold_width(text)
    if meta.looks_like_pre_2019(folded):
        raise Pre2019Report("这是2019年以前的旧格式年度报告（统计表含“指标名称/计量单位”），gongkai 只读取2019年及以后的格式")

    sections = {span.key: span for span in meta.find_sections(folded)}
    length = len(folded)

    # Table 三 first: it anchors the others.
    t3_from = sections["applications"].heading_start if "applications" in sections else 0
    t3_span = tables.locate_applications(folded, t3_from, length)
    if t3_span is None and t3_from:
        t3_span = tables.locate_applications(folded, 0, length)
    t3_start = t3_span[0] if t3_span else None
    appeals_heading = sections.get("appeals")
    t3_end = length
    if t3_start is not None:
        later = [s.heading_start for s in sections.values() if s.heading_start > t3_start]
        if later:
            t3_end = min(later)

    t2_from = sections["proactive"].heading_start if "proactive" in sections else 0
    t2_end = sections["applications"].heading_start if "applications" in sections else (t3_start or length)
    if t2_end <= t2_from:
        t2_end = t3_start or length
    run_together = _run_together(folded, t3_start, t3_end)
    proactive = tables.read_proactive(folded, t2_from, t2_end, allow_split=run_together)

    applications = tables.read_applications(folded, t3_start, t3_end) if t3_start is not None else None

    t4_from = appeals_heading.heading_start if appeals_heading and (t3_start is None or appeals_heading.heading_start
                                                                   >= t3_start) else (t3_end if t3_start else 0)
    after_t4 = [s.heading_start for k, s in sections.items() if k in ("problems", "other") and s.heading_start > t4_from]
    t4_end = min(after_t4) if after_t4 else length
    # Digits are split only in a document whose cells run together, never to fill a blank cell.
    appeals = tables.read_appeals(folded, t4_from, t4_end, allow_split=run_together)

    title = meta.find_title(folded.split("\n"))
    if applications is None and len(sections) < 3 and not (title.year and proactive.found):
        raise NotAnnualReport("未找到年度报告的章节和表格，这不是政府信息公开工作年度报告")

    year = title.year or meta.covered_year_from_text(folded)
    fmt = _choose_format(proactive.format, applications, year)
    report = AnnualReport.empty(fmt, single_other=applications.single_other if applications else None)
    report.agency = _agency(title.agency, folded)
    report.year = year

    _fill_proactive(report, proactive)
    _fill_applications(report, applications)
    _fill_appeals(report, appeals)
    _fill_sections(report, text, folded, sections)
    for issue in proactive.findings + (applications.findings if applications else []) + appeals.findings:
        report.add_issue(issue.rule, issue.severity, issue.where, issue.message)
    _structure_issues(report, proactive, applications, appeals, sections, proactive.format)
    check_report(report)
    return report


def _run_together(folded: str, start: int | None, end: int) -> bool:
    """Are the cells of this document run together (a one-line crawler dump)?"""
    if start is None:
        return folded.count("\n") < 20
    region = folded[start:end]
    return region.count("\n") < 5 and region.count("\t") < 5


def _choose_format(table2_format: str | None, applications, year: int | None) -> str:
    if table2_format:
        return table2_format
    if applications is not None and applications.single_other and (year is None or year < tx.FIRST_YEAR_OF_2021_FORMAT):
        return "2019"
    if year is not None and year < tx.FIRST_YEAR_OF_2021_FORMAT:
        return "2019"
    return "2021"


def _agency(title_agency: str | None, folded: str) -> str | None:
    """The title's agency; a footer's or the page metadata's full name where the title
    has only an abbreviation of it (区政务服务办) or no name at all."""
    for fuller in (meta.host_agency(folded), meta.publisher_agency(folded)):
        if fuller and (not title_agency or names.is_abbreviation(title_agency, fuller)):
            return fuller
    return title_agency


def _fill_proactive(report: AnnualReport, proactive: tables.ProactiveRead) -> None:
    if not proactive.found:
        return
    if proactive.format != report.format:
        return  # table 二 in the other format than table 三 cannot be placed in this report's keys
    specs = tx.proactive_rows(report.format)
    target = report.proactive if report.format == "2021" else report.proactive_2019
    for spec in specs:
        values = proactive.rows.get(spec.key)
        if values is None:
            continue
        target[spec.key] = {column.key: value for column, value in zip(spec.columns, values, strict=True)}
    report.sync_shared_decisions()


def _fill_applications(report: AnnualReport, applications: tables.ApplicationsRead | None) -> None:
    if applications is None:
        return
    for key, row in applications.rows.items():
        if key in report.applications and report.applications[key] is not None:
            report.applications[key] = dict(zip(tx.APPLICANT_COLUMN_KEYS, row.values, strict=True))


def _fill_appeals(report: AnnualReport, appeals: tables.AppealsRead) -> None:
    if not appeals.found or appeals.values is None:
        return
    for index, block in enumerate(tx.APPEAL_BLOCK_KEYS):
        values = appeals.values[index * 5:(index + 1) * 5]
        report.appeals[block] = dict(zip(tx.APPEAL_COLUMN_KEYS, values, strict=True))


def _fill_sections(report: AnnualReport, text: str, folded: str, sections: dict) -> None:
    spans = sorted(sections.values(), key=lambda s: s.heading_start)
    for index, span in enumerate(spans):
        if span.key not in tx.PROSE_SECTIONS:
            continue
        end = spans[index + 1].heading_start if index + 1 < len(spans) else len(text)
        body = text[span.body_start:end]
        if span.key == "other":
            cut = min((p for p in (folded.find(m, span.body_start, end) for m in _FOOTER_MARKERS) if p >= 0),
                      default=-1)
            if cut >= 0:
                body = text[span.body_start:cut]
        body = _WORD_BOOKMARK.sub("", body)
        body = "\n".join(line.strip() for line in body.strip().splitlines() if line.strip())
        report.sections[span.key] = body or None


def _structure_issues(report, proactive, applications, appeals, sections, table2_format) -> None:
    if not proactive.found:
        report.add_issue("structure.missing_table", "error", "proactive", "未找到表二（主动公开政府信息情况）")
    elif table2_format and table2_format != report.format:
        report.add_issue("format.mixed", "warning", "proactive",
                         f"表二使用 {table2_format} 年格式，表三使用 {report.format} 年格式，表二未读取")
    if applications is None:
        report.add_issue("structure.missing_table", "error", "applications", "未找到表三（收到和处理政府信息公开申请情况）")
    else:
        keys = list(applications.rows)
        found = [k for k in keys if applications.rows[k].found]
        if found:
            last = keys.index(found[-1])
            if last < len(keys) - 1:
                missing = keys[last + 1:]
                report.add_issue(
                    "structure.truncated", "error", f"applications.{missing[0]}",
                    f"表三在「{tx.outcome_short_label(found[-1])}」行之后中断，缺少 {len(missing)} 行"
                    f"（从「{tx.outcome_short_label(missing[0])}」起）")
            for key in keys[:last]:
                if not applications.rows[key].found:
                    report.add_issue("read.missing_row", "warning", f"applications.{key}",
                                     f"未找到{tx.cell_label('applications', key)}，该行留空")
    if not appeals.found:
        report.add_issue("structure.missing_table", "error", "appeals", "未找到表四（政府信息公开行政复议、行政诉讼情况）")
    for section in tx.SECTION_LIST:
        if section.key not in sections:
            report.add_issue("structure.missing_section", "warning", f"sections.{section.key}",
                             f"未找到第{section.number}部分「{section.title}」的标题")
