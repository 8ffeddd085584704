"""One record of every model the admin shows, all in one agency, with an applicant's personal data.

The admin tests walk ``admin.site._registry``; ``test_the_estate_covers_every_registered_model``
fails when a model is registered without a record here, so a new admin is walked too.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import AttemptCounter, Membership
from gongkai.web.annual.services import annual_report_record_create
from gongkai.web.appeals.services import appeal_correct, appeal_register
from gongkai.web.cases.models import Application, ReplyTemplate
from gongkai.web.disclosure.models import AgencyDisclosure, Article20Item, DisclosureRole, Genre
from gongkai.web.disclosure.services import publication_create, publication_update
from gongkai.web.explorer.models import ExplorerSettings
from gongkai.web.registers.models import RegulatoryDocument, YearlyFigures
from gongkai.web.reminders.models import Message
from gongkai.web.schedules.services import holiday_schedule_add
from gongkai.web.staff.personal_data import personal_data_viewed
from gongkai.web.supervision.models import CheckinAnswer, RosterUnit
from gongkai.web.supervision.services import (
    AnswerInput,
    checkin_deadline_set,
    checkin_item_add,
    checkin_submit,
    finding_add,
    finding_reply,
)

# The applicant's data as registered, then as corrected (so the history holds both).
PERSONAL = {"applicant_id_number": "110101199001011234", "applicant_phone": "13912345678",
            "applicant_email": "zhangsan@example.cn", "applicant_address": "北京市东城区东华门街道某胡同8号"}
CORRECTED = {"applicant_id_number": "110101198502025678", "applicant_phone": "13687654321",
             "applicant_email": "zhang.san@example.org", "applicant_address": "北京市西城区西长安街道某大院12号"}
CLEAR_VALUES = [*PERSONAL.values(), *CORRECTED.values(), "东华门街道某胡同", "西长安街道某大院", "zhangsan@", "zhang.san@"]


@dataclass
class Estate:
    application: Application
    outsider: object  # staff of another agency, with every admin permission and every role there
    outsider_own: dict  # model -> pks the outsider may see (its own agency, membership, user)


def history_ids(model, pk) -> list[int]:
    """The ids of the versions simple-history keeps of one record (none for a model without history)."""
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager is None:
        return []
    return list(getattr(model, manager).filter(**{model._meta.pk.attname: pk}).values_list("history_id", flat=True))


def admin_record_urls(model, pk) -> list[str]:
    """The admin pages of one record: change, delete, history list and each history version."""
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    urls = [reverse(f"{info}_{view}", args=[pk]) for view in ("change", "delete", "history")]
    return urls + [reverse(f"{info}_simple_history", args=[pk, version]) for version in history_ids(model, pk)]


def admin_viewer(user):
    """``user`` with the admin open and every view permission (what the demo logins hold)."""
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


def _supervision_records(world, publication, application) -> None:
    """The district's roster entry for the street, its check-in item and deadline, the street's check-in,
    a finding of the district's inspection and the street's reply."""
    from datetime import time

    RosterUnit.objects.create(office=world.district, agency=world.street, name=world.street.full_name,
                              liaison_name="李联络", liaison_user=world.users["agency_admin"])
    item = checkin_item_add(office=world.district, acting_user=world.supervisor, text="本周是否更新专栏",
                            kind="yes_no")
    checkin_deadline_set(office=world.district, acting_user=world.supervisor, weekday=4, due_time=time(17))
    checkin = checkin_submit(office=world.district, agency=world.street, acting_user=world.users["agency_admin"],
                             answers=[AnswerInput(item, answer=True, publication_ids=(publication.pk,),
                                                  application_ids=(application.pk,))])
    assert CheckinAnswer.objects.filter(checkin=checkin).exists()
    finding = finding_add(office=world.district, agency=world.street, acting_user=world.supervisor,
                          description="公开指南未更新")
    finding_reply(finding=finding, acting_user=world.users["agency_admin"], reply="已更新公开指南")
    from tests.web.report_files import report_bytes

    from gongkai.web.supervision.filing import FiledFile, filing_return, filing_submit

    outside = RosterUnit.objects.create(office=world.district, name="测试区档案馆", portal_url="https://dag.example/")
    filing = filing_submit(unit=outside, year=2025, acting_user=world.supervisor,
                           file=FiledFile("档案馆年报.html", report_bytes()))
    filing_return(filing=filing, acting_user=world.supervisor, comment="请补充")  # a second history version
    from gongkai.web.supervision.kaohe_services import bulletin_generate, scores_finalise

    bulletin_generate(office=world.district, month=timezone.localdate().replace(day=1), acting_user=world.supervisor)
    scores_finalise(office=world.district, year=timezone.localdate().year - 1, acting_user=world.supervisor)


def build_estate(world) -> Estate:
    """Records of every registered model in ``world.street``; an outsider in a new agency."""
    users = world.users
    registration = world.register()
    application = registration.application
    Application.objects.filter(pk=application.pk).update(**PERSONAL)
    application.refresh_from_db()
    application.save()  # a history version with the data as registered
    for name, value in CORRECTED.items():
        setattr(application, name, value)
    application.save()  # and one with the corrected data
    personal_data_viewed(user=users["handler"], application=application)
    Message.objects.create(recipient=users["handler"], application=application, kind=Message.Kind.DUE_SOON,
                           due_on=date(2024, 10, 25), text="即将到期")
    ReplyTemplate.objects.create(agency=world.street, kind="granted", body="同意公开。")

    appeal = appeal_register(agency=world.street, acting_user=users["handler"], kind="review",
                             filed_on=date(2024, 11, 1), application=application, case_number="复议〔2024〕1号")
    appeal_correct(appeal=appeal, acting_user=users["agency_admin"], reason="更正案号", case_number="复议〔2024〕2号")
    document = RegulatoryDocument.objects.create(agency=world.street, kind="rules", title="东街道规章",
                                                 issued_on=date(2023, 1, 5))
    document.title = "东街道规章（修订）"
    document.save()
    figures = YearlyFigures.objects.create(agency=world.street, year=2024, licensing_decisions=3)
    figures.penalty_decisions = 1
    figures.save()
    annual_report_record_create(agency=world.street, year=2024, acting_user=users["handler"])

    publication = publication_create(agency=world.street, acting_user=users["handler"], title="东街道低保通知",
                                     genre=Genre.NORMATIVE_DOCUMENT, article20_item=Article20Item.REGULATIONS,
                                     formed_on=date(2024, 9, 2), body="正文")
    publication_update(publication=publication, acting_user=users["handler"], title="东街道低保工作通知")
    disclosure = AgencyDisclosure.objects.get_or_create(agency=world.street)[0]
    disclosure.agency_code = "DJ001"
    disclosure.save()
    DisclosureRole.objects.create(user=users["reviewer"], agency=world.street,
                                  role=DisclosureRole.Role.SECRECY_REVIEWER)
    _supervision_records(world, publication, application)
    AttemptCounter.objects.create(key=f"login:{users['handler'].username}@127.0.0.1", count=2,
                                  window_ends_at=timezone.now() + timedelta(minutes=15))
    Group.objects.create(name="东街道工作人员")
    from tests.cli.test_workdays_cli import GOOD_2027_NOTICE

    holiday_schedule_add(notice_text=GOOD_2027_NOTICE, acting_user=users["agency_admin"])  # site-wide: superusers only
    ExplorerSettings.objects.create(pk=1, public=False)  # site-wide: superusers only

    north = AgencyFactory(full_name="测试区北街道办事处")
    outsider = UserFactory(username="north_everything")
    memberships = [MembershipFactory(user=outsider, agency=north, role=role).pk for role in Membership.Role]
    DisclosureRole.objects.create(user=outsider, agency=north, role=DisclosureRole.Role.SECRECY_REVIEWER)
    outsider.is_staff = True
    outsider.save()
    outsider.user_permissions.set(Permission.objects.all())
    own = {north._meta.model: {north.pk}, Membership: set(memberships), get_user_model(): {outsider.pk},
           DisclosureRole: set(DisclosureRole.objects.filter(user=outsider).values_list("pk", flat=True))}
    return Estate(application, outsider, own)
