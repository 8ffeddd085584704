"""``gongkai demo --load-only``: migrate, then load the seed agencies, their cases and logins.

For every applicant column of a seed's table 三 the loader makes exactly the applications
the counting rules need: ``carried_over`` received in December of the year before (the
first of them closed during the year, the rest still open), the remaining outcome rows
received and closed during the year, and the rest of ``carried_forward`` received in late
December and still open.  Table 四's appeals are filed in the year; decided ones get their
result.  Table 二 comes from generated register entries and the yearly figures.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from gongkai.report import taxonomy as tx
from gongkai.report.model import AnnualReport
from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Application
from gongkai.web.cases.services import application_numbers_allocate, new_query_code
from gongkai.web.registers.models import RegulatoryDocument, YearlyFigures

from .published import seed_reports

ROOT_NAME = "公开示范区人民政府"
DEMO_PASSWORD = "gongkai-demo-2021"
ROLE_LOGINS = [(f"demo_{role.value}", role) for role in Membership.Role if role != Membership.Role.SUPERVISOR]
SUPERVISOR_LOGIN = "demo_supervisor"
SECRECY_LOGIN = "demo_secrecy_reviewer"  # 保密审查 of 主动公开 (a DisclosureRole, not a Membership)
# One person per role, so every review step has somebody who did not write the item (four eyes);
# names (family name first) so pages can say who acts next.
DEMO_NAMES = {"demo_intake": ("赵", "敏"), "demo_handler": ("钱", "进"), "demo_reviewer": ("孙", "丽"),
              "demo_signer": ("李", "强"), "demo_agency_admin": ("周", "平"), SECRECY_LOGIN: ("吴", "静"),
              SUPERVISOR_LOGIN: ("郑", "华")}


class SeedDoesNotBalance(ValueError):
    pass


def agency_kind(name: str) -> str:
    if name.endswith("街道办事处"):
        return Agency.Kind.STREET
    if name.endswith("镇") or name.endswith("镇人民政府"):
        return Agency.Kind.TOWN
    if name.endswith("人民政府办公室"):
        return Agency.Kind.GOVERNMENT_OFFICE
    return Agency.Kind.DEPARTMENT


def _count(value) -> int:
    return value or 0


def application_plan(report: AnnualReport) -> list[dict]:
    """(applicant_type, received, closed, outcome) of every application table 三 needs."""
    year = report.year
    apps = report.applications
    plan: list[dict] = []
    day = 0
    for column in tx.APPLICANT_PARTS:
        slots = [key for key in report.outcome_keys() for _ in range(_count(apps[key][column]))]
        carried_over = _count(apps["carried_over"][column])
        carried_forward = _count(apps["carried_forward"][column])
        if _count(apps["new"][column]) + carried_over != len(slots) + carried_forward:
            raise SeedDoesNotBalance(f"{report.agency} 表三「{tx.APPLICANT_COLUMNS[column].label}」列不平衡")
        open_from_before = 0
        for i in range(carried_over):
            received = date(year - 1, 12, 1) + timedelta(days=i % 25)
            closed_with = slots.pop(0) if slots else None
            open_from_before += closed_with is None
            plan.append({"applicant_type": column, "received_on": received, "outcome": closed_with,
                         "closed_on": date(year, 1, 15) + timedelta(days=i % 10) if closed_with else None})
        for outcome in slots:
            received = date(year, 1, 4) + timedelta(days=day % 320)
            day += 3
            plan.append({"applicant_type": column, "received_on": received, "outcome": outcome,
                         "closed_on": received + timedelta(days=14)})
        for i in range(carried_forward - open_from_before):
            plan.append({"applicant_type": column, "received_on": date(year, 12, 20) + timedelta(days=i % 10),
                         "outcome": None, "closed_on": None})
    return plan


def _state_of(entry: dict) -> str:
    if entry["closed_on"] is None:
        return Application.State.HANDLING
    if entry["outcome"] == "other.no_correction":
        return Application.State.ABANDONED
    return Application.State.ARCHIVED


def load_applications(agency: Agency, report: AnnualReport) -> int:
    plan = application_plan(report)
    numbers: dict[int, list[str]] = {}
    for year in sorted({entry["received_on"].year for entry in plan}):
        count = sum(1 for entry in plan if entry["received_on"].year == year)
        numbers[year] = application_numbers_allocate(agency=agency, year=year, count=count)
    rows = []
    for n, entry in enumerate(plan, start=1):
        _, digest = new_query_code()
        abandoned = entry["outcome"] == "other.no_correction"
        rows.append(Application(
            agency=agency, number=numbers[entry["received_on"].year].pop(0), query_code_hash=digest,
            applicant_type=entry["applicant_type"], applicant_name=f"演示申请人{n}",
            channel=Application.Channel.ONLINE if n % 3 else Application.Channel.LETTER,
            information_sought="演示：申请公开的政府信息", received_on=entry["received_on"],
            registered_at=timezone.make_aware(datetime.combine(entry["received_on"], time(10))),
            state=_state_of(entry), outcome=entry["outcome"] or "", closed_on=entry["closed_on"],
            correction_requested_on=entry["received_on"] + timedelta(days=3) if abandoned else None,
        ))
    bulk_create_with_history(rows, Application, batch_size=500)
    return len(rows)


def demo_case_number(kind: str, year: int, n: int) -> str:
    """A case number in the form people print: 复议决定书 〔year〕n号, a court's （year）…行初n号."""
    if kind == "review":
        return f"演示复决〔{year}〕{n}号"
    return f"（{year}）演示行初{n}号"


def load_appeals(agency: Agency, report: AnnualReport) -> int:
    year = report.year
    application = Application.objects.filter(agency=agency).order_by("pk").first()
    appeals = []
    for kind in tx.APPEAL_BLOCK_KEYS:
        numbered = 0 if kind == "review" else sum(1 for a in appeals if a.kind != "review")  # courts count together
        for result in tx.APPEAL_RESULTS:
            for i in range(_count(report.appeals[kind][result])):
                filed = date(year, 3, 1) + timedelta(days=30 * i % 200)
                numbered += 1
                appeals.append(Appeal(agency=agency, application=application, kind=kind, filed_on=filed, result=result,
                                      decided_on=None if result == "pending" else filed + timedelta(days=60),
                                      case_number=demo_case_number(kind, year, numbered)))
    bulk_create_with_history(appeals, Appeal)
    return len(appeals)


def load_registers(agency: Agency, report: AnnualReport) -> None:
    """Register entries giving the seed's 规章/规范性文件 counts (when they can be consistent)."""
    year = report.year
    documents = []
    for kind in RegulatoryDocument.Kind.values:
        row = report.proactive.get(kind) or {}
        issued, repealed, in_force = (_count(row.get(k)) for k in ("issued", "repealed", "in_force"))
        kept = min(issued, in_force)
        specs = [(date(year, 6, 1), None)] * kept  # issued this year, in force
        specs += [(date(year, 6, 1), date(year, 9, 1))] * (issued - kept)  # issued and repealed this year
        specs += [(date(year - 2, 6, 1), None)] * (in_force - kept)  # older, still in force
        specs += [(date(year - 2, 6, 1), date(year, 9, 1))] * max(0, repealed - (issued - kept))
        for n, (issued_on, repealed_on) in enumerate(specs, start=1):
            documents.append(RegulatoryDocument(agency=agency, kind=kind, title=f"演示{kind}第{n}号",
                                                issued_on=issued_on, repealed_on=repealed_on))
    RegulatoryDocument.objects.bulk_create(documents)

    def figure(key, column="decisions"):
        return (report.proactive.get(key) or {}).get(column)

    fees = figure("fees", "amount_10k_yuan")
    YearlyFigures.objects.create(
        agency=agency, year=year, licensing_decisions=figure("licensing"), penalty_decisions=figure("penalty"),
        coercion_decisions=figure("coercion"), fees_amount_10k_yuan=None if fees is None else Decimal(str(fees)))


def create_logins(first_agency: Agency, root: Agency) -> list[tuple[str, str, str]]:
    User = get_user_model()
    logins = []
    for username, role in ROLE_LOGINS:
        user = _demo_user(User, username)
        Membership.objects.get_or_create(user=user, agency=first_agency, role=role)
        if role == Membership.Role.AGENCY_ADMIN:  # edits the agency's own letter wording in the admin
            from django.contrib.auth.models import Permission
            user.user_permissions.add(*Permission.objects.filter(content_type__app_label="cases",
                                                                 codename__endswith="_replytemplate"))
        logins.append((username, role.label, first_agency.full_name))
    from gongkai.web.disclosure.models import DisclosureRole

    secrecy = _demo_user(User, SECRECY_LOGIN)
    DisclosureRole.objects.get_or_create(user=secrecy, agency=first_agency, role=DisclosureRole.Role.SECRECY_REVIEWER)
    logins.append((SECRECY_LOGIN, DisclosureRole.Role.SECRECY_REVIEWER.label, first_agency.full_name))
    supervisor = _demo_user(User, SUPERVISOR_LOGIN)
    Membership.objects.get_or_create(user=supervisor, agency=root, role=Membership.Role.SUPERVISOR)
    logins.append((SUPERVISOR_LOGIN, Membership.Role.SUPERVISOR.label, root.full_name))
    return logins


def _demo_user(User, username):
    # is_staff so the admin site opens for the demo; querysets there are scoped by agency.
    family, given = DEMO_NAMES.get(username, ("", ""))
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True, "last_name": family,
                                                                            "first_name": given})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        from django.contrib.auth.models import Permission
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=[
            "agencies", "cases", "appeals", "registers", "annual"], codename__startswith="view_"))
    return user


@transaction.atomic
def load_seed_data() -> tuple[list[Agency], bool]:
    """Load every seed agency once; returns the agencies and whether anything was loaded now."""
    root, created = Agency.objects.get_or_create(full_name=ROOT_NAME,
                                                 defaults={"short_name": "示范区", "kind": Agency.Kind.GOVERNMENT})
    agencies = []
    for report in seed_reports():
        agency, new = Agency.objects.get_or_create(full_name=report.agency, defaults={
            "short_name": report.agency[:20], "kind": agency_kind(report.agency), "parent": root})
        agencies.append(agency)
        if new:
            load_applications(agency, report)
            load_appeals(agency, report)
            load_registers(agency, report)
    return agencies, created


def publish_demo_annual_reports(agencies: list[Agency]) -> int:
    """Publish each seed agency's annual report of its seed year, built from the demo data; idempotent."""
    from gongkai.web.annual.models import AnnualReportRecord
    from gongkai.web.annual.services import annual_report_record_advance, annual_report_record_create

    years = {report.agency: report.year for report in seed_reports()}
    made = 0
    for agency in agencies:
        year = years.get(agency.full_name)
        if year is None or AnnualReportRecord.objects.filter(agency=agency, year=year).exists():
            continue
        with transaction.atomic():
            record = annual_report_record_create(agency=agency, year=year)
            while record.state != AnnualReportRecord.State.PUBLISHED:  # the system acts: 审核 and 签发
                record = annual_report_record_advance(record=record)
        made += 1
    return made


def load_demo(write=print) -> list[tuple[str, str, str]]:
    call_command("migrate", interactive=False, verbosity=0)
    agencies, created = load_seed_data()
    root = Agency.objects.get(full_name=ROOT_NAME)
    logins = create_logins(agencies[0], root)
    from gongkai.web.disclosure.demo import load_demo_publications

    load_demo_publications(agencies)  # sample 主动公开 items, marked 示例数据; idempotent
    publish_demo_annual_reports(agencies)  # the seeds' year, so the portal shows a report from the first start
    from .rollup import load_demo_repeated_report

    load_demo_repeated_report(agencies)  # a next-year report repeating last year's text: the 年报文字雷同 page has a pair
    from .supervision import load_demo_supervision

    load_demo_supervision(root, agencies, get_user_model().objects.get(username=SUPERVISOR_LOGIN))
    from .filings import LIAISON_LOGIN, UNITS, load_demo_filings

    load_demo_filings(root, get_user_model().objects.get(username=SUPERVISOR_LOGIN))  # 年度报告报送
    from gongkai.web.reminders.services import reminders_send

    scan = reminders_send()  # no worker runs in the demo: the reminders of today's state are there from the start
    from gongkai.web.supervision.digest_job import digests_send

    digests_send()  # and today's 日提醒 (a second load the same day adds nothing)
    write("演示数据已加载：" if created else "演示数据已存在，未重复加载：")
    for agency in agencies:
        write(f"  {agency.full_name}：{agency.applications.count()} 件申请，{agency.appeals.count()} 件复议诉讼，"
              f"{agency.publications.count()} 条主动公开信息（示例数据），"
              f"{agency.annual_reports.filter(state='published').count()} 份已发布的年度报告（门户 /portal/{agency.pk}/）")
    write(f"期限提醒：{scan.due} 件申请即将到期或已逾期，新发提醒 {scan.created} 条（工作人员页面“期限提醒”）")
    write(f"登录账号（密码均为 {DEMO_PASSWORD}）：")
    for username, role, agency in logins:
        write(f"  {username:<20} {role}  {agency}")
    write(f"  {LIAISON_LOGIN:<20} 联络员（未使用本系统的单位，报送年度报告）  {UNITS[0][0]}")
    return logins
