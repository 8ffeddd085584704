"""Single ledger values: the date forms real ledgers use, outcomes, applicant types, extensions."""

from datetime import date

import pytest

from gongkai.ledger.values import (
    APPLICANT_CODES,
    OUTCOME_CODES,
    BadValue,
    parse_applicant,
    parse_date,
    parse_extension,
    parse_outcome,
)


@pytest.mark.parametrize("text", [
    "2021-03-05", "2021-3-5", "2021/3/5", "2021/03/05", "2021年3月5日", "2021年03月05日", "2021.3.5",
    " 2021-03-05 ", "2021-03-05 00:00:00", "2021/3/5 9:30", "２０２１年３月５日", "20210305",
    "44260",  # Excel serial number: 44260 days after 1899-12-30
    "44260.0",
])
def test_every_date_form_of_the_spec_reads_as_the_same_day(text):
    assert parse_date(text) == date(2021, 3, 5)


@pytest.mark.parametrize("text, rule", [
    ("2021-02-30", "date.impossible"), ("2021年13月1日", "date.impossible"), ("2021/2/29", "date.impossible"),
    ("3/5/2021", "date.format"), ("21-03-05", "date.format"), ("2021年3月", "date.format"), ("明天", "date.format"),
    ("2021-03-05-", "date.format"), ("0202-03-05", "date.year"), ("2210-03-05", "date.year"),
])
def test_a_bad_date_says_whether_it_is_unreadable_or_impossible(text, rule):
    with pytest.raises(BadValue) as caught:
        parse_date(text)
    assert caught.value.rule == rule


@pytest.mark.parametrize("text, key", [
    ("granted", "granted"), ("予以公开", "granted"), ("（一）予以公开", "granted"),
    ("部分公开", "partially_granted"), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
    ("withheld.third_party_rights", "withheld.third_party_rights"),
    ("4.保护第三方合法权益", "withheld.third_party_rights"), ("保护第三方合法权益", "withheld.third_party_rights"),
    ("不予公开/保护第三方合法权益", "withheld.third_party_rights"),
    ("（三）不予公开/4.保护第三方合法权益", "withheld.third_party_rights"),
    ("不予公开／保护第三方合法权益", "withheld.third_party_rights"),
    ("属于国家秘密", "withheld.state_secret"), ("危及“三安全一稳定”", "withheld.security_stability"),
    ("危及三安全一稳定", "withheld.security_stability"),
    ("本机关不掌握相关政府信息", "unable.not_held"), ("无法提供/本机关不掌握相关政府信息", "unable.not_held"),
    ("重复申请", "not_processed.duplicate"), ("不予处理/重复申请", "not_processed.duplicate"),
    ("其他处理/其他", "other.other"), ("3.其他", "other.other"), ("other.unpaid_fee", "other.unpaid_fee"),
    ("其他处理", "other"),
])
def test_outcomes_by_key_label_or_group_and_label(text, key):
    assert OUTCOME_CODES[parse_outcome(text)] == key


@pytest.mark.parametrize("text", ["第三方", "无法提供/保护第三方合法权益", "公开", "不予公开", "withheld", "done"])
def test_an_outcome_that_names_no_row_exactly_is_refused(text):
    with pytest.raises(BadValue) as caught:
        parse_outcome(text)
    assert caught.value.rule == "outcome.unknown"


@pytest.mark.parametrize("text, key", [
    ("自然人", "natural_person"), ("natural_person", "natural_person"), ("Natural_Person", "natural_person"),
    ("商业企业", "commercial"), ("科研机构", "research"), ("社会公益组织", "social_welfare"),
    ("法律服务机构", "legal_service"), ("legal_service", "legal_service"), ("其他", "other"), (" 其他 ", "other"),
])
def test_applicant_types_in_chinese_or_english(text, key):
    assert APPLICANT_CODES[parse_applicant(text)] == key


@pytest.mark.parametrize("text", ["法人或其他组织", "企业", "person", "总计", "total"])
def test_an_unknown_applicant_type_is_refused(text):
    with pytest.raises(BadValue, match="无法识别的申请人类型"):
        parse_applicant(text)


@pytest.mark.parametrize("text, days", [("0", 0), ("15", 15), ("20", 20), ("20.0", 20), (" 5 ", 5)])
def test_extension_days(text, days):
    assert parse_extension(text) == days


@pytest.mark.parametrize("text, rule", [("21", "extension.too_long"), ("-1", "extension.format"),
                                        ("十五", "extension.format"), ("2.5", "extension.format")])
def test_a_bad_extension_is_refused(text, rule):
    with pytest.raises(BadValue) as caught:
        parse_extension(text)
    assert caught.value.rule == rule
