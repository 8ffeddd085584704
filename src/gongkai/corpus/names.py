"""Agencies' names → one ``agency_key`` per agency, so a trend follows one agency across years.

Three rules, applied in this order, each one explained in the ``agencies`` table:

1. **spelling** (per name): full-width folded, spaces dropped, and the common short forms
   written out — 政府办/府办/政府办公室 → 人民政府办公室, 政府 → 人民政府, 管委会 → 管理委员会,
   and a department's 简称 at the end of the name: 科委 → 科学技术委员会, 发改委, 卫健委, 经信委,
   人社局, 住建局, 市监局, 医保局, 文旅局, 工信局 (each to its one 全称).
   栖霞区政府办 and 栖霞区人民政府办公室 get the same key.
2. **prefix** (over the corpus): a name that is another name without the leading units
   above it (栖霞区人民政府办公室 inside 南京市栖霞区人民政府办公室) joins it only when exactly
   one longer name ends that way; 鼓楼区人民政府办公室 stays apart when both 南京市鼓楼区… and
   福州市鼓楼区… are in the corpus.
3. **ocr** (over the corpus): two names of the same length that differ in exactly one
   character, where the two characters are a known OCR confusion (亳/毫, 浙/淅, 崇/祟 …), are
   one agency; the name seen in more reports is the key.  Any other difference — 城东区
   and 城西区 — keeps them apart: a confident wrong merge is worse than a missed one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# Pairs of characters OCR takes for each other in printed Song/FangSong type.
CONFUSABLE = frozenset(frozenset(pair) for pair in (
    "己已", "未末", "土士", "日曰", "入人", "大太", "天夭", "王玉", "侯候", "戊戌", "冶治", "汩汨", "仑仓",
    "粱梁", "宫官", "市巿", "浙淅", "沾沽", "崇祟", "睢雎", "亳毫", "壶壸", "儋檐", "嵊蝾", "衢衛", "潼撞",
))

_SPELLINGS = (
    (re.compile(r"(?<!人民)政府办公室"), "人民政府办公室"),
    (re.compile(r"(?<!人民)政府办公厅"), "人民政府办公厅"),
    (re.compile(r"(?<!人民)政府办(?!公|事)"), "人民政府办公室"),
    (re.compile(r"(区|县|市|州|旗)府办(?!公)"), r"\1人民政府办公室"),
    (re.compile(r"管委会"), "管理委员会"),
    # Departments' 简称 as agencies print them in titles (上海市科委 is 上海市科学技术委员会).
    (re.compile(r"科委$"), "科学技术委员会"),
    (re.compile(r"发改委$"), "发展和改革委员会"),
    (re.compile(r"卫健委$"), "卫生健康委员会"),
    (re.compile(r"经信委$"), "经济和信息化委员会"),
    (re.compile(r"人社局$"), "人力资源和社会保障局"),
    (re.compile(r"住建局$"), "住房和城乡建设局"),
    (re.compile(r"市监局$"), "市场监督管理局"),
    (re.compile(r"医保局$"), "医疗保障局"),
    (re.compile(r"文旅局$"), "文化和旅游局"),
    (re.compile(r"工信局$"), "工业和信息化局"),
    (re.compile(r"(?<!人民)政府$"), "人民政府"),
)
# Units that can stand in front of a name without changing which agency it is.
_LEADING_UNIT = re.compile(r"^(.+?(?:省|自治区|市|自治州|州|地区|盟))")


@dataclass(frozen=True)
class Match:
    agency: str
    agency_key: str
    rule: str         # exact | spelling | prefix | ocr
    explanation: str


def spelled_out(name: str) -> str:
    """Rule 1: the name with width folded, spaces dropped and short forms written out."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    text = text.replace("(", "（").replace(")", "）")
    for pattern, replacement in _SPELLINGS:
        text = pattern.sub(replacement, text)
    return text


def one_confusion(a: str, b: str) -> tuple[str, str] | None:
    """The one pair of OCR-confusable characters that tells ``a`` from ``b``, if that is all."""
    if len(a) != len(b) or len(a) < 4:
        return None
    differences = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differences) == 1 and frozenset(differences[0]) in CONFUSABLE:
        return differences[0]
    return None


def resolve(names: Iterable[str], counts: Counter | None = None) -> dict[str, Match]:
    """Every name's key and the rule that gave it; ``counts`` (reports per name) settles rule 3."""
    names = sorted(set(n for n in names if n))
    counts = counts or Counter()
    spelled = {name: spelled_out(name) for name in names}
    forms = sorted(set(spelled.values()))
    weight = Counter()
    for name, form in spelled.items():
        weight[form] += counts.get(name, 1)

    # Rule 3 first on the spelled forms: fold a rarer form into its confusable twin.  Forms
    # one character apart share a bucket keyed by the form with that character blanked.
    buckets: dict[tuple[int, str], list[str]] = {}
    for form in forms:
        for position in range(len(form)):
            buckets.setdefault((position, form[:position] + "\0" + form[position + 1:]), []).append(form)
    ocr_target: dict[str, tuple[str, tuple[str, str]]] = {}
    for (position, _), group in buckets.items():
        if len(group) < 2 or len(group[0]) < 4:
            continue
        for form in group:
            for other in group:
                pair = (form[position], other[position])
                if frozenset(pair) in CONFUSABLE and (weight[other], other) > (weight[form], form) \
                        and form not in ocr_target:
                    ocr_target[form] = (other, pair)
    # Rule 2: a form that is exactly one longer form minus its leading units.
    by_tail: dict[str, list[str]] = {}
    for other in forms:
        for cut in range(2, len(other) - 1):
            if _LEADING_UNIT.fullmatch(other[:cut]):
                by_tail.setdefault(other[cut:], []).append(other)
    prefix_target = {form: by_tail[form][0] for form in forms if len(by_tail.get(form, ())) == 1}

    def key_of(form: str, hops: int = 0) -> str:
        target = prefix_target.get(form) or (ocr_target.get(form) or (None,))[0]
        return key_of(target, hops + 1) if target and hops < 5 else form

    result = {}
    for name in names:
        form = spelled[name]
        key = key_of(form)
        if form in prefix_target:
            rule, text = "prefix", f"「{name}」是「{key}」省去上级地名的写法，且语料中只有这一个全称与之对应"
        elif form in ocr_target:
            wrong, right = ocr_target[form][1]
            rule, text = "ocr", f"「{name}」与「{key}」只差一个字（「{wrong}」与「{right}」是常见的识别错误），视为同一机构"
        elif form != name:
            rule, text = "spelling", f"「{name}」按简称规则写全为「{form}」" + (f"，归入「{key}」" if key != form else "")
        else:
            rule, text = "exact", "名称原样作为机构标识"
        result[name] = Match(name, key, rule, text)
    return result


def agencies_table(store):
    """The ``agencies`` table over every report stored."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    from . import schema

    counts: Counter = Counter()
    if store.parts("reports"):
        column = ds.dataset(store.parts("reports"), format="parquet").to_table(columns=["agency"]).column(0)
        counts.update(v for v in column.to_pylist() if v)
    matches = resolve(counts, counts)
    rows = [{"agency": m.agency, "agency_key": m.agency_key, "rule": m.rule, "explanation": m.explanation}
            for m in matches.values()]
    return pa.Table.from_pylist(rows, schema=schema.AGENCIES)
