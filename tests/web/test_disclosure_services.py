"""Publications: 索引号, the review steps by role, scheduling, 撤回/更正, 有效性 history, 第二十六条 lateness."""

import zipfile
from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.damage import with_garbled_name
from tests.web import test_disclosure_fixtures as fixtures
from tests.web.threads import run_in_threads

from gongkai.web.disclosure import services
from gongkai.web.disclosure.attachments import attachment_check, sniff_kind
from gongkai.web.disclosure.models import AgencyDisclosure, Genre, Publication, Validity, validate_index_pattern
from gongkai.web.disclosure.selectors import publications_late, publications_public
from gongkai.workdays import load_calendar

State = Publication.State

desk = fixtures.desk  # the shared fixture


def test_index_numbers_follow_the_agency_pattern_and_count_per_year(desk):
    AgencyDisclosure.objects.create(agency=desk.agency, agency_code="11110000MB0001", index_pattern="{agency_code}-{year}-{seq:04d}")
    first, second = desk.draft("一"), desk.draft("二")
    year = timezone.localdate().year
    assert first.index_number == f"11110000MB0001-{year}-0001"
    assert second.index_number == f"11110000MB0001-{year}-0002"
    other = desk.draft("三", agency=desk.other_agency, user=desk.outsider)
    assert other.index_number == f"{desk.other_agency.pk:03d}/{year}-00001"  # the default pattern


def test_an_index_pattern_without_a_sequence_is_refused():
    with pytest.raises(ValidationError, match="seq"):
        validate_index_pattern("{agency_code}/{year}")
    with pytest.raises(ValidationError, match="无效"):
        validate_index_pattern("{agency}/{seq}")


@pytest.mark.django_db(transaction=True)
def test_index_numbers_are_unique_under_concurrent_allocation():
    from tests.web.factories import AgencyFactory

    agency = AgencyFactory()
    services.agency_disclosure_of(agency)
    batches = run_in_threads(4, lambda n: [services.index_number_allocate(agency=agency, year=2024) for _ in range(10)])
    numbers = [number for batch in batches for number in batch]
    assert len(numbers) == 40 and len(set(numbers)) == 40


def test_the_full_review_path_records_every_step_with_its_comment(desk):
    publication = desk.publish(desk.draft())
    assert publication.state == State.PUBLISHED and publication.is_visible()
    events = list(publication.events.values_list("action", "from_state", "to_state", "acting_user__username", "comment"))
    assert events == [
        ("create", "", "draft", "d_writer", ""),
        ("submit", "draft", "review", "d_writer", ""),
        ("approve", "review", "secrecy_review", "d_reviewer", "同意"),
        ("clear", "secrecy_review", "signing", "d_secrecy", "不涉密"),
        ("publish", "signing", "published", "d_signer", "签发"),
    ]
    assert publication.history.count() >= 5  # django-simple-history keeps every saved version


@pytest.mark.parametrize("step, user_attr", [
    ("approve", "writer"), ("clear", "reviewer"), ("publish", "secrecy"), ("publish", "outsider"),
])
def test_each_step_needs_its_role_in_the_publications_agency(desk, step, user_attr):
    publication = desk.draft()
    with desk.commit(execute=True):
        publication = services.publication_submit(publication=publication, acting_user=desk.writer)
        if step in ("clear", "publish"):
            publication = services.publication_approve(publication=publication, acting_user=desk.reviewer)
        if step == "publish":
            publication = services.publication_clear(publication=publication, acting_user=desk.secrecy)
    service = getattr(services, f"publication_{step}")
    with pytest.raises(PermissionDenied, match="岗位"):
        service(publication=publication, acting_user=getattr(desk, user_attr), comment="")


def test_a_step_from_the_wrong_state_is_refused(desk):
    publication = desk.draft()
    with pytest.raises(ValidationError, match="撰写"):
        services.publication_publish(publication=publication, acting_user=desk.signer)
    with pytest.raises(ValidationError, match="不能修改"):
        services.publication_update(publication=desk.to_signing(publication), acting_user=desk.writer, title="改")


def test_returning_for_rework_needs_a_reason_and_goes_back_to_the_writer(desk):
    publication = desk.to_signing(desk.draft())
    with pytest.raises(ValidationError, match="理由"):
        services.publication_return(publication=publication, acting_user=desk.signer, comment=" ")
    publication = services.publication_return(publication=publication, acting_user=desk.signer, comment="文号有误")
    assert publication.state == State.DRAFT
    publication = services.publication_update(publication=publication, acting_user=desk.writer, doc_number="测民规〔2024〕2号")
    assert publication.doc_number == "测民规〔2024〕2号"


def test_scheduled_publication_is_not_public_until_its_time(desk):
    later = timezone.now() + timedelta(days=3)
    publication = desk.publish(desk.draft(), publish_at=later)
    assert publication.state == State.PUBLISHED
    assert not publications_public().filter(pk=publication.pk).exists()
    assert publications_public(now=later + timedelta(seconds=1)).filter(pk=publication.pk).exists()


def test_withdrawal_keeps_the_reason_and_the_history(desk):
    publication = desk.publish(desk.draft())
    with pytest.raises(ValidationError, match="理由"):
        services.publication_withdraw(publication=publication, acting_user=desk.signer, comment="")
    publication = desk.withdraw(publication, "政策已调整")
    assert publication.state == State.WITHDRAWN and publication.withdrawn_reason == "政策已调整"
    assert not publications_public().filter(pk=publication.pk).exists()
    assert publication.events.last().comment == "政策已调整"
    assert publication.history.filter(state=State.PUBLISHED).exists()


def test_correction_changes_a_published_item_and_keeps_old_values(desk):
    publication = desk.publish(desk.draft())
    with desk.commit(execute=True):
        revision = services.publication_correct(publication=publication, acting_user=desk.writer,
                                                comment="标题错字", title="关于做好城乡低保工作的通知（更正）")
    assert revision.revision_of == publication and revision.state == State.REVIEW
    publication.refresh_from_db()
    assert publication.title == "关于做好城乡低保工作的通知" and publication.corrected_at is None  # not yet
    with desk.commit(execute=True):
        revision = services.publication_approve(publication=revision, acting_user=desk.reviewer)
        revision = services.publication_clear(publication=revision, acting_user=desk.secrecy)
        corrected = services.publication_publish(publication=revision, acting_user=desk.signer, comment="同意更正")
    assert corrected.pk == publication.pk
    assert corrected.state == State.PUBLISHED and corrected.corrected_at and corrected.title.endswith("（更正）")
    event = corrected.events.last()
    assert event.action == "correct" and event.comment == "标题错字" and event.acting_user == desk.signer
    assert event.data["old"]["title"] == "关于做好城乡低保工作的通知"
    assert Publication.objects.get(pk=revision.pk).state == State.MERGED
    with pytest.raises(ValidationError, match="不能更正"):
        services.publication_correct(publication=corrected, acting_user=desk.signer, comment="x", state="draft")
    with pytest.raises(PermissionDenied):
        services.publication_correct(publication=corrected, acting_user=desk.reviewer, comment="x", title="y")


def test_validity_has_a_dated_history_only_for_rules_and_normative_documents(desk):
    publication = desk.publish(desk.draft())
    assert publication.validity == Validity.IN_FORCE
    services.publication_set_validity(publication=publication, acting_user=desk.signer, validity=Validity.REPEALED,
                                      effective_on=date(2099, 1, 1), comment="被新文件替代")
    history = list(publication.validity_changes.values_list("validity", flat=True))
    assert history == [Validity.IN_FORCE, Validity.REPEALED]
    with pytest.raises(ValidationError, match="早于"):
        services.publication_set_validity(publication=publication, acting_user=desk.signer,
                                          validity=Validity.EXPIRED, effective_on=date(2000, 1, 1))
    meeting = desk.draft("会议纪要", genre=Genre.MEETING)
    with pytest.raises(ValidationError, match="只有规章和行政规范性文件"):
        services.publication_update(publication=meeting, acting_user=desk.writer, validity=Validity.IN_FORCE)


def test_interpretation_links_to_its_policy(desk):
    policy = desk.draft()
    interpretation = desk.draft("政策解读", genre=Genre.INTERPRETATION, interprets=policy)
    assert list(policy.interpretations.all()) == [interpretation]


def test_late_is_derived_from_twenty_working_days_after_forming(desk):
    formed = date(2024, 9, 2)
    due = load_calendar().add_working_days(formed, 20)
    on_time = desk.draft("按时", formed_on=formed)
    late = desk.draft("逾期", formed_on=formed)
    tz = timezone.get_current_timezone()
    on_time = desk.publish(on_time, publish_at=datetime(due.year, due.month, due.day, 10, tzinfo=tz))
    late = desk.publish(late, publish_at=datetime(due.year, due.month, due.day, 10, tzinfo=tz) + timedelta(days=1))
    pending = desk.draft("未发布", formed_on=formed)
    assert on_time.disclosure_due_on() == due
    assert not on_time.is_late() and late.is_late()
    assert pending.is_late(today=due + timedelta(days=1)) and not pending.is_late(today=due)
    assert {p.title for p in publications_late(agency=desk.agency)} == {"逾期", "未发布"}


def _zip(names):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def test_attachments_are_checked_by_content_and_size(desk, settings):
    assert sniff_kind(b"%PDF-1.7\n...") == "pdf"
    assert sniff_kind(b"\x89PNG\r\n\x1a\n....") == "png"
    assert sniff_kind(b"\xff\xd8\xff\xe0....") == "jpeg"
    assert sniff_kind(_zip(["[Content_Types].xml", "word/document.xml"])) == "docx"
    assert sniff_kind(_zip(["[Content_Types].xml", "xl/workbook.xml"])) == "xlsx"
    assert sniff_kind(b"MZ\x90\x00") is None
    assert sniff_kind(with_garbled_name(_zip(["[Content_Types].xml", "word/document.xml"]), "word/document.xml")) is None
    with pytest.raises(ValidationError, match="内容不是"):
        attachment_check(name="通知.pdf", content=b"MZ\x90\x00 an executable")
    with pytest.raises(ValidationError, match="扩展名与内容不符"):
        attachment_check(name="图.png", content=b"%PDF-1.4")
    with pytest.raises(ValidationError, match="不受支持"):
        attachment_check(name="a.exe", content=b"%PDF-1.4")
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="超过上限"):
        attachment_check(name="大.pdf", content=b"%PDF-1.4" + b"0" * 20)
    settings.GONGKAI_ATTACHMENT_MAX_BYTES = 1024
    attachment = services.attachment_add(publication=desk.draft(), acting_user=desk.writer, name="正文.pdf",
                                         content=b"%PDF-1.4 hello")
    assert attachment.kind == "pdf" and attachment.size == 14
