"""The editable body of a letter: a Django template string over a fixed set of placeholders.

An agency's wording (``ReplyTemplate``) or the built-in default
(``templates/cases/letters/defaults/<kind>.txt``) is rendered as plain text, each
non-empty line one paragraph; the HTML of the PDF escapes it afterwards, so nothing an
applicant or an editor types becomes markup.  Only text, ``{{ placeholders }}`` with
filters, ``{% if %}`` and ``{% comment %}`` are allowed: no ``{% include %}``, ``{% load %}``
or ``{% debug %}``, which could reach beyond the letter's own data.

The template is a sandbox, since agency admins edit it and every letter renders it: only
the filters of ``FILTERS`` (none that pads or repeats text — ``ljust:"100000000"`` would
take hundreds of MB per letter), numeric arguments bounded, the source at most
``MAX_BODY_CHARS`` and the rendered text at most ``MAX_RENDERED_CHARS``.  The same check
runs on save and on every render, so a template stored before a rule existed is refused
too rather than rendered.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, TextNode, Variable, VariableNode
from django.template.defaulttags import CommentNode, IfNode

# name → what it holds (shown to editors in the admin).
PLACEHOLDERS: dict[str, str] = {
    "agency_name": "本机关全称",
    "number": "申请编号",
    "document_number": "文号",
    "applicant_name": "申请人姓名或名称",
    "received_on": "收到申请日期（日期，可写 {{ received_on|date:\"Y年n月j日\" }}）",
    "information_sought": "申请获取的政府信息",
    "delivery_form": "申请人选择的获取方式",
    "letter_date": "文书日期（日期）",
    "due_on": "答复期限（日期）",
    "outcome_label": "办理结果（年度报告表三的分类）",
    "article": "所依据的条例条款，如“第三十六条第（三）项、第十五条”",
    "citation": "引用条款的完整表述，如“根据《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十五条的规定”",
    "reason": "所依据的法定理由",
    "note": "结果说明（拟办答复时填写的补充说明）",
    "withheld_reason": "不予公开的部分及理由（部分公开时）",
    "correction_requested_on": "补正告知日期（日期）",
    "correction_deadline": "补正期限（日期）",
    "correction_period_days": "补正期限的工作日数",
    "extension_days": "延长的工作日数",
    "extension_reason": "延期理由",
    "extended_due_on": "延长后的答复期限（日期）",
    "fee_basis": "信息处理费计收方式（按件计收、按量计收）",
    "fee_amount": "信息处理费金额（元）",
    "fee_explanation": "信息处理费的计算过程",
    "fee_issued_on": "收费通知日期（日期）",
    "fee_due_on": "缴费期限（日期）",
    "fee_payment_days": "缴费期限的工作日数",
    "dates_provisional": "文书中的期限是否为预计（该年放假安排尚未公布时为真，可写 {% if dates_provisional %}预计{% endif %}）",
    "provisional_note": "期限为预计时的说明，如“（2027 年的放假安排国务院办公厅尚未公布……以国务院办公厅公布的放假安排为准）”；否则为空",
}

_ALLOWED_NODES = (TextNode, VariableNode, IfNode, CommentNode)
MAX_BODY_CHARS = 20_000
MAX_RENDERED_CHARS = 100_000
# Filter name → the largest numeric argument it takes (None: its argument is not a size).
# Every filter here returns text no longer than its input and a short constant.
FILTERS: dict[str, int | None] = {
    "date": None, "default": None, "default_if_none": None, "upper": None, "lower": None, "capfirst": None,
    "title": None, "yesno": None, "divisibleby": None, "truncatechars": None, "floatformat": 6,
}
_DEFAULTS = Path(__file__).resolve().parent.parent / "templates" / "cases" / "letters" / "defaults"


@cache
def _engine() -> Engine:
    # No template directories and no libraries: {% include %}/{% extends %} find nothing to
    # read and {% load %} nothing to load.  debug=True gives syntax errors their line.
    return Engine(dirs=[], app_dirs=False, libraries={}, debug=True)


def default_body(kind: str) -> str:
    return (_DEFAULTS / f"{kind}.txt").read_text(encoding="utf-8")


def sample_context() -> dict:
    """Data every template is tried against before it is stored."""
    return {
        "agency_name": "某区某街道办事处", "number": "GK001-2024-00001", "document_number": "某街公开答〔2024〕1号",
        "applicant_name": "张三", "received_on": date(2024, 9, 27), "information_sought": "某路段拆迁补偿方案",
        "delivery_form": "电子邮件", "letter_date": date(2024, 10, 18), "due_on": date(2024, 10, 31),
        "outcome_label": "予以公开", "article": "第三十六条第（二）项",
        "citation": "根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定",
        "reason": "您申请获取的政府信息属于可以公开的政府信息", "note": "", "withheld_reason": "",
        "correction_requested_on": date(2024, 9, 30), "correction_deadline": date(2024, 10, 28),
        "correction_period_days": 15, "extension_days": 20, "extension_reason": "需要检索的档案数量较大",
        "extended_due_on": date(2024, 11, 28), "fee_basis": "按件计收", "fee_amount": 100,
        "fee_explanation": "按件计收 1 件：第 11 件 × 100 元 = 100 元；合计 100 元",
        "fee_issued_on": date(2024, 10, 8), "fee_due_on": date(2024, 11, 5), "fee_payment_days": 20,
        "dates_provisional": True,
        "provisional_note": "（2027 年的放假安排国务院办公厅尚未公布……以国务院办公厅公布的放假安排为准）",
    }


def _names(expression: FilterExpression):
    """Root names of the variables an expression reads (``note`` of ``{{ note|default:x }}``)."""
    for variable in [expression.var, *(arg for _, args in expression.filters for lookup, arg in args if lookup)]:
        if isinstance(variable, Variable) and variable.lookups:
            yield variable.lookups[0]


def _condition_expressions(condition):
    if condition is None:
        return
    value = getattr(condition, "value", None)
    if isinstance(value, FilterExpression):
        yield value
    for part in ("first", "second"):
        yield from _condition_expressions(getattr(condition, part, None))


def _bounded_number(arg, bound: int) -> bool:
    """A literal number (``2``, ``"-3"``, ``"2g"``) of at most ``bound``; a placeholder is refused."""
    if isinstance(arg, Variable):
        if arg.lookups is not None:
            return False
        arg = arg.literal
    try:
        return abs(int(str(arg).rstrip("gu") or 0)) <= bound
    except ValueError:
        return False


def _filter_problems(expression: FilterExpression, line) -> list[str]:
    problems = []
    for function, args in expression.filters:
        name = getattr(function, "_filter_name", function.__name__)
        if name not in FILTERS:
            allowed = "、".join(FILTERS)
            problems.append(f"第 {line} 行：不支持过滤器「{name}」（可用的过滤器：{allowed}）")
            continue
        bound = FILTERS[name]
        for _, arg in args:
            if bound is not None and not _bounded_number(arg, bound):
                problems.append(f"第 {line} 行：过滤器「{name}」的参数不能超过 {bound}")
    return problems


def _check_nodes(nodelist, problems: list[str]) -> None:
    for node in nodelist:
        line = node.token.lineno if getattr(node, "token", None) else "?"
        if not isinstance(node, _ALLOWED_NODES):
            tag = node.token.contents.split()[0] if getattr(node, "token", None) else type(node).__name__
            problems.append(f"第 {line} 行：不支持模板标签「{tag}」（只能使用占位符和 if）")
            continue
        names, expressions = [], []
        if isinstance(node, TextNode) and any(mark in node.s for mark in ("{{", "}}", "{%", "%}")):
            # Django leaves an unclosed {{ … as text; in a letter it would print as is.
            first = min(node.s.find(mark) for mark in ("{{", "}}", "{%", "%}") if mark in node.s)
            where = line + node.s.count("\n", 0, first) if isinstance(line, int) else line
            problems.append(f"第 {where} 行：占位符或标签没有闭合")
        if isinstance(node, VariableNode):
            expressions = [node.filter_expression]
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                expressions.extend(_condition_expressions(condition))
                _check_nodes(branch, problems)
        for expression in expressions:
            names.extend(_names(expression))
            problems.extend(_filter_problems(expression, line))
        for name in names:
            if name not in PLACEHOLDERS:
                problems.append(f"第 {line} 行：未知的占位符「{name}」")


# Django's syntax errors in English → what an editor should do, in Chinese.
_SYNTAX_HINTS = (
    (re.compile(r"Unclosed tag .*?'(\w+)'"), "标签「{0}」没有结束，缺少对应的 {{% end{0} %}}"),
    (re.compile(r"Invalid block tag .*?'(\w+)'"), "不支持或多余的模板标签「{0}」"),
    (re.compile(r"'(\w+)' is not a registered tag library"), "不能加载标签库「{0}」（只能使用占位符和 if）"),
    (re.compile(r"Invalid filter: '(\w+)'"), "未知的过滤器「{0}」"),
    (re.compile(r"may not begin with underscores: '(.*)'"), "占位符「{0}」不能以下划线开头"),
    (re.compile(r"Empty variable tag"), "{{{{ }}}} 中缺少占位符名称"),
    (re.compile(r"Could not parse the remainder: '(.*?)' from '(.*?)'"), "无法识别「{1}」中的「{0}」"),
)


def _syntax_message(error: TemplateSyntaxError) -> str:
    debug = getattr(error, "template_debug", None)
    where = f"第 {debug['line']} 行" if debug else "模板"
    text = str(error)
    for pattern, hint in _SYNTAX_HINTS:
        match = pattern.search(text)
        if match:
            return f"{where}有语法错误：{hint.format(*match.groups())}"
    return f"{where}有语法错误（{text.strip()}）"


def compile_body(source: str) -> Template:
    """The template of ``source``, or ``ValidationError`` naming the line and what is wrong."""
    if len(source) > MAX_BODY_CHARS:
        raise ValidationError(f"正文模板有 {len(source)} 个字符，不能超过 {MAX_BODY_CHARS} 个字符")
    try:
        template = Template(source, engine=_engine())
    except TemplateSyntaxError as error:
        raise ValidationError(_syntax_message(error)) from None
    problems: list[str] = []
    _check_nodes(template.nodelist, problems)
    if problems:
        raise ValidationError(problems)
    return template


def render_body(source: str, context: dict) -> list[str]:
    """The paragraphs of the body: each non-empty line of the rendered text, stripped."""
    text = compile_body(source).render(Context(context, autoescape=False))
    if len(text) > MAX_RENDERED_CHARS:
        raise ValidationError(f"正文填入数据后有 {len(text)} 个字符，超过 {MAX_RENDERED_CHARS} 个字符的上限")
    return [line.strip() for line in text.splitlines() if line.strip()]


def validate_body(source: str, *, field: str | None = None) -> None:
    """Refuse a body that does not compile, reads an unknown placeholder, or fails on sample data."""
    try:
        if not source.strip():
            raise ValidationError("正文模板不能为空")
        try:
            paragraphs = render_body(source, sample_context())
        except ValidationError:
            raise
        except Exception as error:  # a filter that fails on real values fails on a letter too
            raise ValidationError(f"用示例数据试填模板时出错：{error}") from None
        if not paragraphs:
            raise ValidationError("用示例数据试填后正文为空")
    except ValidationError as error:
        raise ValidationError({field: error.messages}) if field else error from None
