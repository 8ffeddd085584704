"""Reading single ledger values: dates, applicant types, outcomes, extension days.

Each reader returns the value or raises ``BadValue`` with a Chinese reason.  Ledgers are
read column by column with each distinct text parsed once (see ``parse.py``), so these
functions are not on the hot path and can afford to be explicit.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from gongkai.report import taxonomy as tx
from gongkai.workdays import MAX_EXTENSION_WORKING_DAYS

# Outcome codes of a ledger: every 2021-format outcome row, then the single （六）其他处理
# row of the 2019 format, which is valid only for applications closed before 2021.
OUTCOME_CODES = tx.OUTCOME_KEYS + ("other",)
SINGLE_OTHER_CODE = OUTCOME_CODES.index("other")
APPLICANT_CODES = tx.APPLICANT_PARTS

EARLIEST_YEAR = 1990  # a ledger date before this, or after LATEST_YEAR, is a typo, not history
LATEST_YEAR = 2099
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system, serial 1 = 1900-01-01

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_FORMS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?" + _TIME),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_EXCEL_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
DATE_FORMS_HELP = "2021-03-05、2021/3/5、2021年3月5日 或 2021.3.5"


class BadValue(ValueError):
    def __init__(self, message: str, rule: str):
        self.message = message
        self.rule = rule
        super().__init__(message)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(text: str) -> date:
    """A ledger date in any of the forms real ledgers use, or an Excel serial number."""
    clean = _clean(text)
    for form in _DATE_FORMS:
        match = form.fullmatch(clean)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                value = date(year, month, day)
            except ValueError:
                raise BadValue("日期不存在", "date.impossible") from None
            break
    else:
        match = _EXCEL_SERIAL.fullmatch(clean)
        if not match:
            raise BadValue(f"无法识别的日期，应写作 {DATE_FORMS_HELP}", "date.format")
        # A spreadsheet exported without date formatting shows days since 1899-12-30.
        value = EXCEL_EPOCH + timedelta(days=int(match.group(1)))
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise BadValue(f"年份 {value.year} 不合理", "date.year")
    return value


def parse_applicant(text: str) -> int:
    key = tx.applicant_from_label(text)
    if key is None:
        labels = "、".join(tx.APPLICANT_COLUMNS[k].label for k in APPLICANT_CODES)
        raise BadValue(f"无法识别的申请人类型，应为 {labels} 之一（或对应的英文键）", "applicant.unknown")
    return APPLICANT_CODES.index(key)


def parse_outcome(text: str) -> int:
    key = tx.outcome_from_label(text)
    if key is None:
        raise BadValue(
            "无法识别的办理结果，应为表三的行名（如 予以公开、本机关不掌握相关政府信息）、"
            "「组/行名」（如 不予公开/保护第三方合法权益）或行键（如 withheld.third_party_rights）",
            "outcome.unknown",
        )
    return OUTCOME_CODES.index(key)


def parse_extension(text: str) -> int:
    clean = _clean(text)
    match = re.fullmatch(r"(\d+)(?:\.0*)?", clean)
    if not match:
        raise BadValue(f"应为 0—{MAX_EXTENSION_WORKING_DAYS} 的整数", "extension.format")
    days = int(match.group(1))
    if days > MAX_EXTENSION_WORKING_DAYS:
        # 条例第三十三条第二款: 延长的期限最长不得超过20个工作日.
        raise BadValue(f"延期超过条例第三十三条规定的最长 {MAX_EXTENSION_WORKING_DAYS} 个工作日", "extension.too_long")
    return days
