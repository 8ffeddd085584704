"""The monthly 通报: every count equals a plain query of the records it names; laggards named; DOCX and PDF
in the official layout; an issued 通报 is frozen; the office edits and issues it, its units read it."""

import io
import shutil
import subprocess
from datetime import date

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.web.supervision_records import application, at, checkin, finding

from gongkai.web.agencies.models import Membership
from gongkai.web.cases.models import Application
from gongkai.web.supervision.bulletin import month_figures
from gongkai.web.supervision.bulletin_documents import bulletin_docx, bulletin_pdf
from gongkai.web.supervision.kaohe_services import bulletin_edit, bulletin_generate, bulletin_issue
from gongkai.web.supervision.models import Bulletin, Checkin, Finding

AUGUST, AUGUST_END = date(2026, 8, 1), date(2026, 8, 31)
WEEKS = [date(2026, 8, 3), date(2026, 8, 10), date(2026, 8, 17), date(2026, 8, 24)]  # 8-31's deadline is 9-4
TITLE = "关于2026年8月全区政务公开工作情况的通报"


@pytest.fixture
def august(world):
    """East street lags (a missing and a late check-in, an overdue finding, an overdue application); west does not."""
    for week in WEEKS[:2]:
        checkin(world, world.street, week)
    checkin(world, world.street, WEEKS[2], late=True)
    for week in WEEKS:
        checkin(world, world.other_street, week)
    finding(world, world.street, month=AUGUST, due_on=date(2026, 8, 20))
    finding(world, world.street, month=date(2026, 7, 1), due_on=date(2026, 7, 31), state=Finding.State.ACCEPTED,
            replied_on=date(2026, 7, 30), reviewed_on=date(2026, 8, 3))
    finding(world, world.other_street, month=AUGUST, due_on=date(2026, 9, 30))
    finding(world, world.other_street, month=AUGUST, due_on=date(2026, 8, 25), state=Finding.State.REPLIED,
            replied_on=date(2026, 8, 24))
    application(world, world.street, date(2026, 6, 1))  # never answered
    application(world, world.street, date(2026, 8, 25))  # still within its 20 working days on 8-31
    application(world, world.street, date(2026, 5, 4), closed_on=date(2026, 9, 10))  # late, answered only in September
    application(world, world.other_street, date(2026, 7, 1), closed_on=date(2026, 7, 10))
    return world


def plain_counts(world, agency) -> dict[str, set]:
    """The records behind each count, by plain queries of the records (the oracle of the 通报)."""
    findings = Finding.objects.filter(office=world.district, agency=agency)
    checkins = Checkin.objects.filter(office=world.district, agency=agency, week_start__in=WEEKS)
    unanswered = Application.objects.filter(agency=agency, received_on__lte=AUGUST_END).exclude(
        closed_on__lte=AUGUST_END)
    return {
        "findings_opened": {f"finding:{pk}" for pk in findings.filter(month=AUGUST).values_list("pk", flat=True)},
        "findings_rectified": {f"finding:{pk}" for pk in findings.filter(
            state="accepted", reviewed_at__date__gte=AUGUST, reviewed_at__date__lte=AUGUST_END).values_list("pk", flat=True)},
        "findings_overdue": {f"finding:{pk}" for pk in findings.filter(
            state__in=["assigned", "returned"], due_on__lt=AUGUST_END).values_list("pk", flat=True)},
        "checkins_on_time": {f"checkin:{c.pk}" for c in checkins if c.submitted_at <= c.due_at},
        "checkins_late": {f"checkin:{c.pk}" for c in checkins if c.submitted_at > c.due_at},
        "checkins_missing": {f"week:{agency.pk}:{w}" for w in sorted(set(WEEKS) - {c.week_start for c in checkins})},
        "applications_overdue": {f"application:{a.pk}" for a in unanswered
                                 if a.reply_deadline(today=AUGUST_END).due < AUGUST_END},
    }


def test_every_count_equals_a_plain_query_of_the_records_it_names(august):
    figures = month_figures(august.district, AUGUST)
    assert figures["weeks"] == [w.isoformat() for w in WEEKS] and figures["as_of"] == "2026-08-31"
    units = {unit["agency_id"]: unit for unit in figures["units"]}
    assert set(units) == {august.street.pk, august.other_street.pk}
    for agency in (august.street, august.other_street):
        expected = plain_counts(august, agency)
        named = {key: {r["record"] for r in records} for key, records in units[agency.pk]["records"].items()}
        assert named == expected, agency.full_name
        assert units[agency.pk]["counts"] == {key: len(records) for key, records in expected.items()}
    east = units[august.street.pk]["counts"]
    assert (east["checkins_missing"], east["checkins_late"], east["findings_overdue"],
            east["applications_overdue"], east["findings_rectified"]) == (1, 1, 1, 2, 1)
    assert figures["totals"]["checkins_on_time"] == 2 + 4
    assert [lag["name"] for lag in figures["laggards"]] == ["测试区东街道办事处"]


def test_the_draft_names_the_laggards_and_the_documents_carry_them(august):
    bulletin = bulletin_generate(office=august.district, month=date(2026, 8, 9), acting_user=august.supervisor)
    assert bulletin.title == TITLE and bulletin.month == AUGUST and bulletin.state == Bulletin.State.DRAFT
    assert "测试区东街道办事处：1周未报送周打卡，1周逾期报送周打卡，1个巡查问题逾期未整改，2件依申请公开申请超过答复期限未答复。" \
        in bulletin.problems
    assert "测试区西街道办事处" not in bulletin.problems
    assert "本月月巡查发现问题3个，整改通过1个，逾期未整改1个" in bulletin.overview

    document = docx.Document(io.BytesIO(bulletin_docx(bulletin)))
    text = [p.text for p in document.paragraphs]
    assert text[0] == TITLE and text[1].endswith("：")
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、基本情况", "二、存在问题", "三、下一步工作要求"]
    assert any("测试区东街道办事处：1周未报送周打卡" in line for line in text)
    assert text[-2:] == ["测试区人民政府", "（印发时填写）"]
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0][0] == "单位" and rows[-1][0] == "合计"
    east = next(row for row in rows if row[0] == "测试区东街道办事处")
    assert east[1:] == ["1", "1", "1", "2", "1", "1", "2"]
    fonts = document.paragraphs[0].runs[0]._r.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "宋体"


@pytest.mark.slow
def test_the_pdf_has_the_title_and_the_laggard(august, tmp_path):
    bulletin = bulletin_generate(office=august.district, month=AUGUST, acting_user=august.supervisor)
    path = tmp_path / "tongbao.pdf"
    path.write_bytes(bulletin_pdf(bulletin))
    text = subprocess.run([shutil.which("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout.replace("\n", "")
    assert TITLE in text and "测试区东街道办事处" in text and "三、下一步工作要求" in text


def test_an_issued_bulletin_is_frozen(august):
    bulletin = bulletin_generate(office=august.district, month=AUGUST, acting_user=august.supervisor)
    bulletin = bulletin_edit(bulletin=bulletin, acting_user=august.supervisor, recipients="各街道办事处",
                             overview=bulletin.overview, problems=bulletin.problems + "\n（二）补充一段。",
                             requirements="请按期整改。")
    issued = bulletin_issue(bulletin=bulletin, acting_user=august.supervisor)
    assert issued.issued_on == date(2026, 9, 15)
    frozen = (issued.figures, issued.problems)
    checkin(august, august.street, WEEKS[3])  # a late record, and the unit's overdue finding rectified
    Finding.objects.filter(agency=august.street, month=AUGUST).update(state="accepted", reviewed_at=at(AUGUST_END))
    assert month_figures(august.district, AUGUST)["totals"]["checkins_missing"] == 0  # the records changed …
    issued.refresh_from_db()
    assert (issued.figures, issued.problems) == frozen  # … the issued 通报 did not
    with pytest.raises(ValidationError, match="已印发"):
        bulletin_generate(office=august.district, month=AUGUST, acting_user=august.supervisor)
    with pytest.raises(ValidationError, match="已印发"):
        bulletin_edit(bulletin=issued, acting_user=august.supervisor, recipients="x", overview="x", problems="x",
                      requirements="x")
    document = docx.Document(io.BytesIO(bulletin_docx(issued)))
    assert [p.text for p in document.paragraphs][-1] == "2026年9月15日"
    assert "（二）补充一段。" in [p.text for p in document.paragraphs]


def test_only_the_offices_supervisor_generates_edits_and_issues(august):
    east_admin = august.users["agency_admin"]
    with pytest.raises(PermissionDenied):
        bulletin_generate(office=august.district, month=AUGUST, acting_user=east_admin)
    bulletin = bulletin_generate(office=august.district, month=AUGUST, acting_user=august.supervisor)
    with pytest.raises(PermissionDenied):
        bulletin_issue(bulletin=bulletin, acting_user=east_admin)
    with pytest.raises(ValidationError, match="尚未开始"):
        bulletin_generate(office=august.district, month=date(2026, 10, 1), acting_user=august.supervisor)


def test_the_units_read_issued_bulletins_of_their_office_only(august):
    bulletin = bulletin_generate(office=august.district, month=AUGUST, acting_user=august.supervisor)
    detail = reverse("supervision:bulletin_detail", args=[bulletin.pk])
    unit = Client()
    unit.force_login(august.users["handler"])
    assert unit.get(detail).status_code == 404  # a draft is the office's
    assert unit.get(reverse("supervision:bulletin_download", args=[bulletin.pk, "docx"])).status_code == 404

    office = Client()
    office.force_login(august.supervisor)
    page = office.get(detail)
    assert page.status_code == 200 and "各项数字背后的记录" in page.content.decode()
    changed = office.post(detail, {"recipients": "各街道", "overview": "概况。", "problems": "东街道落后。",
                                   "requirements": ""})
    assert changed.status_code == 400 and "不能为空" in changed.content.decode()
    office.post(detail, {"recipients": "各街道", "overview": "概况。", "problems": "东街道落后。", "requirements": "整改。"})
    office.post(reverse("supervision:bulletin_issue", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert bulletin.is_issued and bulletin.problems == "东街道落后。"

    listing = unit.get(reverse("supervision:my_bulletins")).content.decode()
    assert TITLE in listing
    page = unit.get(detail)
    assert page.status_code == 200 and "东街道落后。" in page.content.decode()
    assert "各项数字背后的记录" not in page.content.decode()  # a unit does not follow other units' records
    assert unit.post(detail, {"recipients": "x", "overview": "x", "problems": "x", "requirements": "x"}).status_code == 403
    assert unit.get(reverse("supervision:bulletin_download", args=[bulletin.pk, "docx"])).status_code == 200

    elsewhere = AgencyFactory(full_name="别区民政局", parent=AgencyFactory(full_name="别区人民政府"))
    stranger = Client()
    stranger.force_login(MembershipFactory(user=UserFactory(username="other_district"), agency=elsewhere,
                                           role=Membership.Role.HANDLER).user)
    assert stranger.get(detail).status_code == 404
    assert TITLE not in stranger.get(reverse("supervision:my_bulletins")).content.decode()
    other_office = MembershipFactory(user=UserFactory(username="other_supervisor"), agency=elsewhere.parent,
                                     role=Membership.Role.SUPERVISOR).user
    stranger.force_login(other_office)
    assert stranger.get(detail).status_code == 404
