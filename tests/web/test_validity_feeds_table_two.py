"""Published 规章 / 行政规范性文件 and their 有效性 history feed table 二 through the one register."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from tests.web import test_disclosure_fixtures as fixtures

from gongkai.web.annual.build import annual_report
from gongkai.web.disclosure import services
from gongkai.web.disclosure.models import Genre, Validity
from gongkai.web.registers.importing import RegisterHasErrors
from gongkai.web.registers.models import RegulatoryDocument
from gongkai.web.registers.services import (
    register_import,
    regulatory_document_create,
    regulatory_document_update,
)

desk = fixtures.desk  # the shared fixture


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def _table(desk, year, kind="normative_documents"):
    return annual_report(desk.agency, year).proactive[kind]


def _set_validity(desk, publication, validity, on):
    return services.publication_set_validity(publication=publication, acting_user=desk.signer, validity=validity,
                                             effective_on=on, comment="依据上级文件")


def test_issued_in_2023_and_repealed_in_2024_counts_in_both_years(desk):
    draft = desk.draft("东街道低保审批办法", doc_number="测民发〔2023〕1号", written_on=date(2023, 3, 1),
                       formed_on=date(2023, 3, 1))
    assert _table(desk, 2023) == {"issued": 0, "repealed": 0, "in_force": 0}
    published = desk.publish(draft, publish_at=_at(date(2023, 3, 10)))
    assert _table(desk, 2023) == {"issued": 1, "repealed": 0, "in_force": 1}
    assert _table(desk, 2024) == {"issued": 0, "repealed": 0, "in_force": 1}

    _set_validity(desk, published, Validity.REPEALED, date(2024, 6, 1))
    assert _table(desk, 2023) == {"issued": 1, "repealed": 0, "in_force": 1}
    assert _table(desk, 2024) == {"issued": 0, "repealed": 1, "in_force": 0}
    assert _table(desk, 2025) == {"issued": 0, "repealed": 0, "in_force": 0}
    document = RegulatoryDocument.objects.get()
    assert (document.publication, document.kind, document.title, document.document_number) == (
        published, "normative_documents", "东街道低保审批办法", "测民发〔2023〕1号")
    assert (document.issued_on, document.repealed_on) == (date(2023, 3, 1), date(2024, 6, 1))


def test_without_a_written_date_the_first_in_force_change_is_the_issue_date(desk):
    published = desk.publish(desk.draft("东街道规章", genre=Genre.RULE), publish_at=_at(date(2024, 12, 30)))
    assert RegulatoryDocument.objects.get().issued_on == date(2024, 12, 30)
    assert _table(desk, 2024, "rules") == {"issued": 1, "repealed": 0, "in_force": 1}
    _set_validity(desk, published, Validity.EXPIRED, date(2025, 1, 2))  # 失效 ends it as 废止 does
    assert _table(desk, 2025, "rules") == {"issued": 0, "repealed": 1, "in_force": 0}
    assert _table(desk, 2024, "normative_documents") == {"issued": 0, "repealed": 0, "in_force": 0}


def test_the_first_ending_change_is_the_repeal_date(desk):
    published = desk.publish(desk.draft(written_on=date(2023, 1, 5)), publish_at=_at(date(2023, 1, 9)))
    _set_validity(desk, published, Validity.REPEALED, date(2023, 8, 1))
    _set_validity(desk, published, Validity.EXPIRED, date(2024, 2, 1))
    assert RegulatoryDocument.objects.get().repealed_on == date(2023, 8, 1)
    assert _table(desk, 2023) == {"issued": 1, "repealed": 1, "in_force": 0}
    assert _table(desk, 2024) == {"issued": 0, "repealed": 0, "in_force": 0}


def test_unpublished_and_other_genres_do_not_count(desk):
    draft = desk.draft(written_on=date(2024, 1, 5))
    _set_validity(desk, draft, Validity.REPEALED, date(2024, 3, 1))  # history of a draft: not yet released
    desk.to_signing(desk.draft("一则通知", genre=Genre.NOTICE))
    desk.publish(desk.draft("另一则通知", genre=Genre.NOTICE), publish_at=_at(date(2024, 2, 1)))
    assert not RegulatoryDocument.objects.exists()
    assert _table(desk, 2024) == {"issued": 0, "repealed": 0, "in_force": 0}


def test_withdrawn_after_release_keeps_its_row(desk):
    published = desk.publish(desk.draft(written_on=date(2024, 1, 5)), publish_at=_at(date(2024, 1, 9)))
    desk.withdraw(published)
    assert RegulatoryDocument.objects.get().publication == published
    assert _table(desk, 2024) == {"issued": 1, "repealed": 0, "in_force": 1}


def test_withdrawn_before_its_scheduled_release_removes_its_row(desk):
    scheduled = desk.publish(desk.draft(written_on=date(2024, 1, 5)), publish_at=timezone.now() + timedelta(days=5))
    assert RegulatoryDocument.objects.filter(publication=scheduled).exists()
    desk.withdraw(scheduled)
    assert not RegulatoryDocument.objects.exists()
    assert _table(desk, 2024) == {"issued": 0, "repealed": 0, "in_force": 0}
    assert RegulatoryDocument.history.filter(history_type="-", title=scheduled.title).exists()  # kept in history


def test_correction_follows_title_and_genre(desk):
    published = desk.publish(desk.draft(written_on=date(2024, 1, 5)), publish_at=_at(date(2024, 1, 9)))
    with desk.commit(execute=True):
        revision = services.publication_correct(publication=published, acting_user=desk.writer, comment="标题有误",
                                                title="东街道低保审批办法（更正）", doc_number="测民发〔2024〕3号")
    assert RegulatoryDocument.objects.get().title == published.title  # the register follows only once signed
    with desk.commit(execute=True):
        revision = services.publication_approve(publication=revision, acting_user=desk.reviewer)
        revision = services.publication_clear(publication=revision, acting_user=desk.secrecy)
        services.publication_publish(publication=revision, acting_user=desk.signer)
    document = RegulatoryDocument.objects.get()
    assert (document.title, document.document_number) == ("东街道低保审批办法（更正）", "测民发〔2024〕3号")
    desk.correct(published, comment="体裁有误", genre=Genre.RULE)
    assert RegulatoryDocument.objects.get().kind == "rules"
    assert _table(desk, 2024, "rules") == {"issued": 1, "repealed": 0, "in_force": 1}
    assert _table(desk, 2024) == {"issued": 0, "repealed": 0, "in_force": 0}


def test_a_hand_entered_row_is_linked_not_duplicated_and_then_follows_the_publication(desk, tmp_path):
    entered = regulatory_document_create(agency=desk.agency, acting_user=desk.writer, kind="normative_documents",
                                         title="旧登记的名称", document_number="测民发〔2023〕7号",
                                         issued_on=date(2023, 4, 1))
    published = desk.publish(desk.draft("东街道养老补贴办法", doc_number="测民发〔2023〕7号", written_on=date(2023, 4, 1)),
                             publish_at=_at(date(2023, 4, 3)))
    document = RegulatoryDocument.objects.get()
    assert document.pk == entered.pk and document.publication == published and document.title == "东街道养老补贴办法"
    with pytest.raises(ValidationError, match="由主动公开信息同步"):
        regulatory_document_update(document=document, acting_user=desk.writer, repealed_on=date(2024, 1, 1))
    path = tmp_path / "register.csv"
    path.write_text("类别,名称,文号,制发日期,废止日期\n行政规范性文件,东街道养老补贴办法,测民发〔2023〕7号,2023-04-01,2024-01-01\n",
                    encoding="utf-8")
    with pytest.raises(RegisterHasErrors) as caught:
        register_import(agency=desk.agency, acting_user=desk.writer, path=path, kind="documents")
    assert str(caught.value.errors[0]) == ("第 2 行「文号」列「测民发〔2023〕7号」：该文件由主动公开信息同步，"
                                           "有效性以该信息为准，不能通过导入修改")
    assert RegulatoryDocument.objects.get().repealed_on is None


def test_register_and_publications_add_up_in_one_table(desk):
    regulatory_document_create(agency=desk.agency, acting_user=desk.writer, kind="normative_documents",
                               title="只在登记簿中的文件", issued_on=date(2024, 2, 1))
    desk.publish(desk.draft("发布的文件", written_on=date(2024, 3, 1)), publish_at=_at(date(2024, 3, 5)))
    other = desk.draft("其他机构的文件", agency=desk.other_agency, written_on=date(2024, 3, 1))
    desk.publish(other, publish_at=_at(date(2024, 3, 5)))
    assert _table(desk, 2024) == {"issued": 2, "repealed": 0, "in_force": 2}
    assert annual_report(desk.other_agency, 2024).proactive["normative_documents"]["issued"] == 1
