"""The annual report's taxonomy: every table, row, column and official label.

This module is the one place where the 政府信息公开工作年度报告 format is written down.
Readers, checks, writers, the ledger and the web application all import from here and
never retype a label.  Two formats exist:

* ``"2021"`` — 国办公开办函〔2021〕30号, used for reports on 2021 and later;
* ``"2019"`` — 《年度报告格式（试行）》 of 国办公开办函〔2019〕60号, for 2019 and 2020.

Keys follow ../shared/spec/report-json.md.  For example the row key
``withheld.third_party_rights`` is printed as ``4.保护第三方合法权益`` in the group
``（三）不予公开``, and the column key ``legal_service`` as ``法律服务机构``::

    >>> APPLICATION_ROWS["withheld.third_party_rights"].label
    '4.保护第三方合法权益'
    >>> APPLICANT_COLUMNS["legal_service"].label
    '法律服务机构'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SCHEMA = "gongkai.annual-report/1"
FORMATS = ("2021", "2019")
# Reports on these years use the 2019 (试行) format; later years use the 2021 format.
FIRST_YEAR_OF_2021_FORMAT = 2021
FIRST_YEAR_OF_2019_FORMAT = 2019

BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    """One printed row of a table.

    ``label`` is the row's own official text, ``group`` the label of the enclosing
    group cell (``（三）不予公开``) when there is one, ``number`` the numbering printed
    in front of the label (``"4"`` for ``4.保护第三方合法权益``), and ``cues`` the
    distinctive fragments a reader looks for, most specific first.
    """

    key: str
    label: str
    cues: tuple[str, ...]
    group: str = ""
    number: str = ""
    formats: tuple[str, ...] = FORMATS

    @property
    def full_label(self) -> str:
        return f"{self.group} {self.label}".strip()


def _by_key(items):
    return {item.key: item for item in items}


# ---------------------------------------------------------------- sections

@dataclass(frozen=True)
class Section:
    key: str
    number: str
    title: str
    cues: tuple[str, ...]


SECTION_LIST = (
    Section("overview", "一", "总体情况", ("总体情况", "概述")),
    Section("proactive", "二", "主动公开政府信息情况", ("主动公开政府信息情况", "主动公开政府信息", "主动公开情况")),
    Section("applications", "三", "收到和处理政府信息公开申请情况",
            ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请", "依申请公开")),
    Section("appeals", "四", "政府信息公开行政复议、行政诉讼情况",
            ("行政复议行政诉讼情况", "行政法复议行政诉讼情况", "行政复议和行政诉讼情况", "行政复议行政诉讼")),
    Section("problems", "五", "存在的主要问题及改进情况", ("存在的主要问题及改进情况", "存在的主要问题", "主要问题及改进")),
    Section("other", "六", "其他需要报告的事项", ("其他需要报告的事项", "其他需要报告")),
)
SECTIONS = _by_key(SECTION_LIST)
# The sections whose prose goes into report JSON ``sections``.
PROSE_SECTIONS = ("overview", "problems", "other")


# ---------------------------------------------------------------- table 二 (主动公开)

@dataclass(frozen=True)
class ProactiveRow:
    """A row of table 二: its 第二十条 item, label and value columns."""

    key: str
    item: str  # 第二十条第（X）项
    label: str
    cues: tuple[str, ...]
    columns: tuple[Column, ...]
    decimal: tuple[str, ...] = ()  # columns holding amounts rather than counts
    signed: tuple[str, ...] = ()  # columns that may be negative (本年增/减)


_COUNT_3_2021 = (Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数"))
_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)
PROACTIVE_2021_LIST = (
    ProactiveRow("rules", "（一）", "规章", ("规章",), _COUNT_3_2021),
    ProactiveRow("normative_documents", "（一）", "行政规范性文件", ("行政规范性文件", "规范性文件"), _COUNT_3_2021),
    ProactiveRow("licensing", "（五）", "行政许可", ("行政许可",), _DECISIONS_2021),
    ProactiveRow("penalty", "（六）", "行政处罚", ("行政处罚",), _DECISIONS_2021),
    ProactiveRow("coercion", "（六）", "行政强制", ("行政强制",), _DECISIONS_2021),
    ProactiveRow("fees", "（八）", "行政事业性收费", ("行政事业性收费",),
                 (Column("amount_10k_yuan", "本年收费金额（单位：万元）"),), decimal=("amount_10k_yuan",)),
)
PROACTIVE_2021 = _by_key(PROACTIVE_2021_LIST)

_COUNT_3_2019 = (Column("made", "本年新制作数量"), Column("published", "本年新公开数量"),
                 Column("total_published", "对外公开总数量"))
_ITEMS_3_2019 = (Column("previous_items", "上一年项目数量"), Column("change", "本年增/减"),
                 Column("decisions", "处理决定数量"))
PROACTIVE_2019_LIST = (
    ProactiveRow("rules", "（一）", "规章", ("规章",), _COUNT_3_2019),
    ProactiveRow("normative_documents", "（一）", "规范性文件", ("规范性文件",), _COUNT_3_2019),
    ProactiveRow("licensing", "（五）", "行政许可", ("行政许可",), _ITEMS_3_2019, signed=("change",)),
    ProactiveRow("other_management_services", "（五）", "其他对外管理服务事项", ("其他对外管理服务事项", "对外管理服务事项"),
                 _ITEMS_3_2019, signed=("change",)),
    ProactiveRow("penalty", "（六）", "行政处罚", ("行政处罚",), _ITEMS_3_2019, signed=("change",)),
    ProactiveRow("coercion", "（六）", "行政强制", ("行政强制",), _ITEMS_3_2019, signed=("change",)),
    ProactiveRow("fees", "（八）", "行政事业性收费", ("行政事业性收费",), _ITEMS_3_2019[:2], signed=("change",)),
    ProactiveRow("centralized_procurement", "（九）", "政府集中采购", ("政府集中采购", "集中采购"),
                 (Column("projects", "采购项目数量"), Column("amount_yuan", "采购总金额")), decimal=("amount_yuan",)),
)
PROACTIVE_2019 = _by_key(PROACTIVE_2019_LIST)
# In the 2019 format, ``proactive.<key>.decisions`` repeats 处理决定数量 of these rows.
PROACTIVE_DECISIONS_SHARED = ("licensing", "penalty", "coercion")

# Column headers that tell the two formats of table 二 apart.
PROACTIVE_2021_HEADERS = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额")
PROACTIVE_2019_HEADERS = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量")


def proactive_rows(fmt: str) -> tuple[ProactiveRow, ...]:
    return PROACTIVE_2021_LIST if fmt == "2021" else PROACTIVE_2019_LIST


# ---------------------------------------------------------------- table 三 (申请)

APPLICANT_COLUMN_LIST = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("social_welfare", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)
APPLICANT_COLUMNS = _by_key(APPLICANT_COLUMN_LIST)
APPLICANT_COLUMN_KEYS = tuple(c.key for c in APPLICANT_COLUMN_LIST)
# The six columns whose sum is 总计.
APPLICANT_PARTS = APPLICANT_COLUMN_KEYS[:-1]
LEGAL_PERSON_GROUP = "法人或其他组织"

_G1, _G3, _G4, _G5, _G6 = "（一）", "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"
RESULTS_HEADING = "三、本年度办理结果"

APPLICATION_ROW_LIST = (
    Row("new", "一、本年新收政府信息公开申请数量", ("本年新收政府信息公开申请数量", "本年新收政府信息公开申请", "本年新收")),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请数量", "上年结转政府信息公开申请", "上年结转")),
    Row("granted", "（一）予以公开", ("予以公开",), group=RESULTS_HEADING),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",), group=RESULTS_HEADING),
    Row("withheld.state_secret", "1.属于国家秘密", ("属于国家秘密", "国家秘密"), _G3, "1"),
    Row("withheld.prohibited_by_law", "2.其他法律行政法规禁止公开", ("其他法律行政法规禁止公开", "行政法规禁止公开", "禁止公开"), _G3, "2"),
    Row("withheld.security_stability", "3.危及“三安全一稳定”", ("危及三安全一稳定", "三安全一稳定"), _G3, "3"),
    Row("withheld.third_party_rights", "4.保护第三方合法权益", ("保护第三方合法权益", "第三方合法权益"), _G3, "4"),
    Row("withheld.internal_affairs", "5.属于三类内部事务信息", ("属于三类内部事务信息", "内部事务信息", "内部事务"), _G3, "5"),
    Row("withheld.process_info", "6.属于四类过程性信息", ("属于四类过程性信息", "过程性信息"), _G3, "6"),
    Row("withheld.enforcement_case_file", "7.属于行政执法案卷", ("属于行政执法案卷", "行政执法案卷", "执法案卷"), _G3, "7"),
    Row("withheld.administrative_query", "8.属于行政查询事项", ("属于行政查询事项", "行政查询事项", "行政查询"), _G3, "8"),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", ("本机关不掌握相关政府信息", "不掌握相关政府信息", "不掌握"), _G4, "1"),
    Row("unable.needs_creation", "2.没有现成信息需要另行制作", ("没有现成信息需要另行制作", "另行制作", "没有现成"), _G4, "2"),
    Row("unable.unclear_after_correction", "3.补正后申请内容仍不明确", ("补正后申请内容仍不明确", "仍不明确"), _G4, "3"),
    Row("not_processed.petition_complaint", "1.信访举报投诉类申请", ("信访举报投诉类申请", "信访举报投诉"), _G5, "1"),
    Row("not_processed.duplicate", "2.重复申请", ("重复申请",), _G5, "2"),
    Row("not_processed.publication", "3.要求提供公开出版物", ("要求提供公开出版物", "公开出版物"), _G5, "3"),
    Row("not_processed.excessive", "4.无正当理由大量反复申请", ("无正当理由大量反复申请", "大量反复申请", "大量反复"), _G5, "4"),
    Row("not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息",
        ("要求行政机关确认或重新出具已获取信息", "重新出具已获取信息", "重新出具"), _G5, "5"),
    Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("申请人无正当理由逾期不补正", "逾期不补正"), _G6, "1", formats=("2021",)),
    Row("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用", "缴纳费用", "收费通知"), _G6, "2", formats=("2021",)),
    Row("other.other", "3.其他", ("3其他",), _G6, "3", formats=("2021",)),
    # The single （六）其他处理 row of the 2019 format (and of 2021 tables that print one).
    Row("other", "（六）其他处理", ("其他处理",), formats=("2019",)),
    Row("total", "（七）总计", ("总计", "合计")),  # some reports print （七）合计
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年度继续办理", "结转下年度")),
)
APPLICATION_ROWS = _by_key(APPLICATION_ROW_LIST)

# Row keys in printed order, per format (``other`` replaces the three 其他处理 rows in 2019).
APPLICATION_ROW_KEYS_2021 = tuple(r.key for r in APPLICATION_ROW_LIST if "2021" in r.formats)
APPLICATION_ROW_KEYS_2019 = tuple(r.key for r in APPLICATION_ROW_LIST if "2019" in r.formats)
# The rows added up into （七）总计, per format.
OUTCOME_KEYS_2021 = APPLICATION_ROW_KEYS_2021[2:-2]
OUTCOME_KEYS_2019 = APPLICATION_ROW_KEYS_2019[2:-2]
# Every outcome a single application can have: the official taxonomy of answers.
OUTCOME_KEYS = OUTCOME_KEYS_2021
OTHER_SUBROW_KEYS = ("other.no_correction", "other.unpaid_fee", "other.other")
# Every key the JSON ``applications`` object carries, in printed order.
APPLICATION_ROW_KEYS_ALL = APPLICATION_ROW_KEYS_2021[:-2] + ("other",) + APPLICATION_ROW_KEYS_2021[-2:]

# Outcome groups as printed, for ledgers that name an outcome by its group: 不予公开/…
OUTCOME_GROUPS = {
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "withheld": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}


def application_row_keys(fmt: str, *, single_other: bool | None = None) -> tuple[str, ...]:
    """Printed row keys of table 三 for a format; ``single_other`` overrides （六）'s shape."""
    if single_other is None:
        single_other = fmt == "2019"
    return APPLICATION_ROW_KEYS_2019 if single_other else APPLICATION_ROW_KEYS_2021


def outcome_keys(fmt: str, *, single_other: bool | None = None) -> tuple[str, ...]:
    return application_row_keys(fmt, single_other=single_other)[2:-2]


def outcome_short_label(key: str) -> str:
    """The row label without its numbering: ``保护第三方合法权益`` for withheld.third_party_rights."""
    label = APPLICATION_ROWS[key].label
    return _strip_numbering(label)


def _strip_numbering(label: str) -> str:
    label = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", "", label)
    return re.sub(r"（区分处理的.*）$", "", label)


# ---------------------------------------------------------------- table 四 (复议、诉讼)

APPEAL_COLUMN_LIST = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
APPEAL_COLUMNS = _by_key(APPEAL_COLUMN_LIST)
APPEAL_COLUMN_KEYS = tuple(c.key for c in APPEAL_COLUMN_LIST)
APPEAL_PARTS = APPEAL_COLUMN_KEYS[:-1]


@dataclass(frozen=True)
class AppealBlock:
    key: str
    label: str
    parent: str = ""


APPEAL_BLOCK_LIST = (
    AppealBlock("review", "行政复议"),
    AppealBlock("litigation_direct", "未经复议直接起诉", parent="行政诉讼"),
    AppealBlock("litigation_after_review", "复议后起诉", parent="行政诉讼"),
)
APPEAL_BLOCKS = _by_key(APPEAL_BLOCK_LIST)
APPEAL_BLOCK_KEYS = tuple(b.key for b in APPEAL_BLOCK_LIST)
APPEAL_RESULTS = ("upheld", "corrected", "other", "pending")  # what a finished case can be


# ---------------------------------------------------------------- pre-2019 format

# Words of the 2008 条例's 统计表, which gongkai does not read.
PRE_2019_MARKERS = ("指标名称", "计量单位")


def cell_label(table: str, row: str, column: str = "") -> str:
    """A Chinese description of a cell for messages: ``表三「予以公开」行「自然人」列``."""
    if table == "applications":
        row_label = outcome_short_label(row) if row in APPLICATION_ROWS else row
        text = f"表三「{row_label}」行"
        if column:
            text += f"「{APPLICANT_COLUMNS[column].label}」列"
        return text
    if table == "appeals":
        text = f"表四「{APPEAL_BLOCKS[row].label}」" if row in APPEAL_BLOCKS else f"表四「{row}」"
        if column:
            text += f"「{APPEAL_COLUMNS[column].label}」"
        return text
    if table in ("proactive", "proactive_2019"):
        rows = PROACTIVE_2021 if table == "proactive" else PROACTIVE_2019
        spec = rows.get(row)
        text = f"表二「{spec.label if spec else row}」"
        if spec and column:
            labels = {c.key: c.label for c in spec.columns}
            text += f"「{labels.get(column, column)}」"
        return text
    return f"{table}.{row}.{column}".strip(".")


TABLE_NAMES = {"proactive": "表二", "proactive_2019": "表二", "applications": "表三", "appeals": "表四"}


def _row_and_column(rest: str, rows, columns) -> tuple[str, str] | None:
    """Split ``row.column`` where a row key may itself contain a dot (``withheld.state_secret.total``)."""
    if rest in rows:
        return rest, ""
    row, _, column = rest.rpartition(".")
    if row in rows and column in columns:
        return row, column
    return None


def where_label(where: str) -> str:
    """The printed name of an issue's ``where`` (``applications.total.commercial`` → ``表三「总计」行「商业企业」列``).

    Users read these names, never the keys; a key this function does not know gives a plain
    "报告" rather than itself.
    """
    table, _, rest = (where or "").partition(".")
    if table == "year":
        return "年度"
    if table == "sections":
        section = SECTIONS.get(rest)
        return f"{section.number}、{section.title}" if section else "正文"
    if table not in TABLE_NAMES:
        return "报告"
    if not rest:
        return TABLE_NAMES[table]
    if table == "applications":
        if rest in APPLICANT_COLUMNS:
            return f"表三「{APPLICANT_COLUMNS[rest].label}」列"
        found = _row_and_column(rest, APPLICATION_ROWS, APPLICANT_COLUMNS)
    elif table == "appeals":
        found = _row_and_column(rest, APPEAL_BLOCKS, APPEAL_COLUMNS)
    else:
        rows = PROACTIVE_2021 if table == "proactive" else PROACTIVE_2019
        row, _, column = rest.partition(".")
        found = (row, column) if row in rows and (not column or column in {c.key for c in rows[row].columns}) else None
    return cell_label(table, *found) if found else TABLE_NAMES[table]


# ---------------------------------------------------------------- lookups from free text

def _normalise_label(text: str) -> str:
    """Fold full-width forms, spaces and quotation marks, which ledgers and reports vary."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\"'“”‘’「」『』]", "", text)


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")


def _without_numbering(text: str) -> str:
    return re.sub(r"\(区分处理的.*\)$", "", _NUMBERING.sub("", text))


def _outcome_forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for key in OUTCOME_KEYS_2021 + ("other",):
        short = _without_numbering(_normalise_label(APPLICATION_ROWS[key].label))
        forms[key] = forms[short] = key
        if "." in key:
            forms[f"{OUTCOME_GROUPS[key.split('.')[0]]}/{short}"] = key
    return forms


_OUTCOME_FORMS = _outcome_forms()


def outcome_from_label(text: str) -> str | None:
    """The outcome row key a ledger names, or None when it names none exactly.

    Accepted: the key itself, the official label with or without its numbering, and the
    label behind its group, ``不予公开/保护第三方合法权益`` or ``（三）不予公开/4.保护第三方合法权益``.
    ``其他处理`` gives ``other``, the single （六） row of the 2019 format.  Nothing is matched
    by fragments, so ``第三方`` alone is None::

        >>> outcome_from_label("不予公开/保护第三方合法权益")
        'withheld.third_party_rights'
    """
    normal = _normalise_label(text).lower()  # keys are ASCII; Chinese is unaffected
    if normal in _OUTCOME_FORMS:
        return _OUTCOME_FORMS[normal]
    if "/" in normal:
        group, _, label = normal.partition("/")
        return _OUTCOME_FORMS.get(f"{_without_numbering(group)}/{_without_numbering(label)}")
    return _OUTCOME_FORMS.get(_without_numbering(normal))


def applicant_from_label(text: str) -> str | None:
    """The applicant column key for ``自然人`` / ``natural_person`` (any case), or None."""
    normal = _normalise_label(text)
    for key in APPLICANT_PARTS:
        if normal.lower() == key or normal == APPLICANT_COLUMNS[key].label:
            return key
    return None
