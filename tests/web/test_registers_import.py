"""The table 二 register: hand entry, CSV/XLSX import (all rows or none, no duplicates), pages and CLI."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.cli import main as gongkai_main
from gongkai.web.annual.build import annual_report
from gongkai.web.registers.importing import RegisterHasErrors, UnreadableRegister
from gongkai.web.registers.models import RegulatoryDocument, YearlyFigures
from gongkai.web.registers.services import (
    register_import,
    regulatory_document_create,
    regulatory_document_repeal,
    regulatory_document_update,
    yearly_figures_set,
)

pytestmark = pytest.mark.django_db

DOCUMENTS_CSV = (
    "测试区东街道规范性文件目录（2024年）\n"  # a title row above the header
    "名称,文号,类别,废止日期,制发日期\n"  # any order
    "关于加强物业管理的若干规定,东街发〔2023〕1号,行政规范性文件,2024-05-06,2023-03-01\n"
    "东街道低保审批办法,东街发〔2024〕2号,规范性文件,,2024年2月3日\n"
    "东街道市容管理规定,,规章,,2024/7/8\n"
)
FIGURES_CSV = "年度,行政许可,行政处罚,行政强制,收费金额（万元）\n2023,12,3,,1.5\n2024,20,0,1,\n"


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _xlsx(tmp_path, name, rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def _import(world, path, kind="documents", user=None):
    return register_import(agency=world.street, acting_user=user or world.users["handler"], path=path, kind=kind)


def _stored():
    return sorted(RegulatoryDocument.objects.values_list("title", "document_number", "kind", "issued_on", "repealed_on"))


def _errors(caught) -> list[str]:
    return [str(error) for error in caught.value.errors]


# ---------------------------------------------------------------- good files


def test_gbk_csv_with_a_title_row_and_headers_in_any_order(world, tmp_path):
    result = _import(world, _write(tmp_path, "gbk.csv", DOCUMENTS_CSV, "gbk"))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert _stored() == [
        ("东街道低保审批办法", "东街发〔2024〕2号", "normative_documents", date(2024, 2, 3), None),
        ("东街道市容管理规定", "", "rules", date(2024, 7, 8), None),
        ("关于加强物业管理的若干规定", "东街发〔2023〕1号", "normative_documents", date(2023, 3, 1), date(2024, 5, 6)),
    ]
    proactive = annual_report(world.street, 2024).proactive
    assert proactive["normative_documents"] == {"issued": 1, "repealed": 1, "in_force": 1}
    assert proactive["rules"] == {"issued": 1, "repealed": 0, "in_force": 1}


def test_bom_csv_with_english_headers_gives_the_same_register(world, tmp_path):
    english = DOCUMENTS_CSV.replace("名称,文号,类别,废止日期,制发日期", "title,document_number,kind,repealed_on,issued_on")
    _import(world, _write(tmp_path, "bom.csv", english, "utf-8-sig"))
    assert len(_stored()) == 3 and _stored()[2][4] == date(2024, 5, 6)


def test_xlsx_with_real_date_cells(world, tmp_path):
    path = _xlsx(tmp_path, "documents.xlsx", [
        ["类别", "名称", "文号", "制发日期", "废止日期"],
        ["规章", "东街道河道管理办法", "东街令第1号", date(2022, 1, 5), date(2024, 3, 1)],
        ["行政规范性文件", "东街道养老补贴实施细则", None, date(2024, 8, 9), None],
    ])
    assert _import(world, path).created == 2
    assert _stored() == [("东街道养老补贴实施细则", "", "normative_documents", date(2024, 8, 9), None),
                         ("东街道河道管理办法", "东街令第1号", "rules", date(2022, 1, 5), date(2024, 3, 1))]


def test_reimporting_the_same_file_duplicates_nothing_and_a_changed_row_updates(world, tmp_path):
    path = _write(tmp_path, "documents.csv", DOCUMENTS_CSV)
    _import(world, path)
    again = _import(world, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert RegulatoryDocument.objects.count() == 3
    changed = DOCUMENTS_CSV.replace("东街发〔2024〕2号,规范性文件,,", "东街发〔2024〕2号,规范性文件,2024-12-01,")
    result = _import(world, _write(tmp_path, "changed.csv", changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert RegulatoryDocument.objects.get(document_number="东街发〔2024〕2号").repealed_on == date(2024, 12, 1)
    # matched without 文号 by 名称 + 制发日期
    assert RegulatoryDocument.objects.filter(title="东街道市容管理规定").count() == 1


def test_figures_import_updates_by_year_and_blank_stays_unstated(world, tmp_path):
    yearly_figures_set(agency=world.street, acting_user=world.users["agency_admin"], year=2023, licensing_decisions=1)
    result = _import(world, _write(tmp_path, "figures.csv", FIGURES_CSV, "gbk"), kind="figures")
    assert (result.created, result.updated) == (1, 1)
    rows = {f.year: f for f in YearlyFigures.objects.filter(agency=world.street)}
    assert (rows[2023].licensing_decisions, rows[2023].coercion_decisions, rows[2023].fees_amount_10k_yuan) == (
        12, None, Decimal("1.5"))
    assert (rows[2024].penalty_decisions, rows[2024].fees_amount_10k_yuan) == (0, None)
    proactive = annual_report(world.street, 2023).proactive
    assert proactive["licensing"] == {"decisions": 12} and proactive["coercion"] == {"decisions": None}
    assert proactive["fees"] == {"amount_10k_yuan": 1.5}
    assert _import(world, _write(tmp_path, "again.csv", FIGURES_CSV), kind="figures").unchanged == 2


# ---------------------------------------------------------------- bad files: exact place, nothing stored


def _bad_import(world, tmp_path, text, kind="documents", encoding="utf-8"):
    before = _stored(), list(YearlyFigures.objects.values_list("year", "licensing_decisions"))
    with pytest.raises(RegisterHasErrors) as caught:
        _import(world, _write(tmp_path, "bad.csv", text, encoding), kind=kind)
    assert (_stored(), list(YearlyFigures.objects.values_list("year", "licensing_decisions"))) == before
    return _errors(caught)


def test_bad_date_names_row_column_and_value(world, tmp_path):
    _import(world, _write(tmp_path, "good.csv", DOCUMENTS_CSV))
    before = _stored()
    bad = DOCUMENTS_CSV.replace("2024/7/8", "2024-02-30") + "新文件,东街发〔2024〕9号,规章,,2024-13-01\n"
    errors = _bad_import(world, tmp_path, bad, encoding="gbk")
    assert errors == ["第 5 行「制发日期」列「2024-02-30」：日期不存在",
                      "第 6 行「制发日期」列「2024-13-01」：日期不存在"]
    assert _stored() == before  # the good rows of the bad file changed nothing either


def test_unknown_kind_is_reported(world, tmp_path):
    errors = _bad_import(world, tmp_path, "类别,名称,制发日期\n通知,某通知,2024-01-01\n,无类别,2024-01-02\n")
    assert errors == ["第 2 行「类别」列「通知」：无法识别的类别，应为 规章 或 行政规范性文件",
                      "第 3 行「类别」列（空）：必须填写类别，应为 规章 或 行政规范性文件"]


def test_repealed_before_issued_is_reported(world, tmp_path):
    errors = _bad_import(world, tmp_path, "类别,名称,制发日期,废止日期\n规章,某规章,2024-05-01,2024-04-01\n")
    assert errors == ["第 2 行「废止日期」列「2024-04-01」：废止日期早于制发日期 2024-05-01"]


def test_duplicate_row_in_the_file_names_the_first(world, tmp_path):
    text = ("类别,名称,文号,制发日期\n规章,甲,东令1号,2024-01-01\n规章,乙,东令2号,2024-01-02\n"
            "行政规范性文件,甲（重复）,东令1号,2024-02-01\n规章,无号,,2024-03-01\n规章,无号,,2024-03-01\n")
    errors = _bad_import(world, tmp_path, text)
    assert errors == ["第 4 行「文号」列「东令1号」：与第 2 行的文号重复",
                      "第 6 行「名称」列「无号」：与第 5 行的名称和制发日期重复"]


def test_negative_and_malformed_figures(world, tmp_path):
    text = "year,licensing,penalty,coercion,fees\n2023,-1,2,3,4\n2024,1,两,3,-0.5\n2025年,1,2,3,1.23456\n"
    errors = _bad_import(world, tmp_path, text, kind="figures")
    assert errors == [
        "第 2 行「licensing」列「-1」：数量不能为负数",
        "第 3 行「penalty」列「两」：应为非负整数",
        "第 3 行「fees」列「-0.5」：金额不能为负数",
        "第 4 行「fees」列「1.23456」：金额最多保留 4 位小数、不超过 10 位整数",
    ]


def test_figures_of_a_future_year_and_duplicate_years(world, tmp_path):
    errors = _bad_import(world, tmp_path, "年度,行政许可\n2024,1\n2024,2\n2099,3\n", kind="figures")
    assert errors == ["第 3 行「年度」列「2024」：与第 2 行的年度重复", f"第 4 行「年度」列「2099」：年度不能晚于今年（{date.today().year}）"]


def test_missing_column_makes_the_file_unreadable(world, tmp_path):
    with pytest.raises(UnreadableRegister, match="必需的列为 类别、名称、制发日期"):
        _import(world, _write(tmp_path, "no-date.csv", "类别,名称,文号\n规章,甲,东令1号\n"))
    with pytest.raises(UnreadableRegister, match="至少要有一列数据"):
        _import(world, _write(tmp_path, "only-year.csv", "年度,备注\n2024,无\n"), kind="figures")
    assert not RegulatoryDocument.objects.exists()


def test_a_column_given_twice_is_refused_naming_both(world, tmp_path):
    with pytest.raises(UnreadableRegister, match="第 2 列「名称」和第 3 列「title」是同一列（名称），只能有一个"):
        _import(world, _write(tmp_path, "twice.csv", "类别,名称,title,制发日期\n规章,甲,甲,2024-01-02\n"))
    assert not RegulatoryDocument.objects.exists()


def test_unreadable_files(world, tmp_path):
    with pytest.raises(UnreadableRegister, match="文件是空的"):
        _import(world, _write(tmp_path, "empty.csv", ""))
    with pytest.raises(UnreadableRegister, match="无法打开 xlsx 工作簿"):
        _import(world, tmp_path.joinpath("broken.xlsx").write_bytes(b"PK\x03\x04broken") and tmp_path / "broken.xlsx")
    with pytest.raises(UnreadableRegister, match="UTF-16"):
        _import(world, _write(tmp_path, "utf16.csv", "类别,名称,制发日期\n", "utf-16"))


def test_import_needs_a_register_role(world, tmp_path):
    with pytest.raises(PermissionDenied, match="承办或机构管理员"):
        _import(world, _write(tmp_path, "documents.csv", DOCUMENTS_CSV), user=world.users["intake"])
    with pytest.raises(PermissionDenied):
        _import(world, _write(tmp_path, "documents.csv", DOCUMENTS_CSV), user=world.supervisor)
    assert not RegulatoryDocument.objects.exists()


# ---------------------------------------------------------------- hand entry


def test_create_update_repeal_by_hand(world):
    admin = world.users["agency_admin"]
    document = regulatory_document_create(agency=world.street, acting_user=admin, kind="rules", title=" 东街道规章 ",
                                          document_number="东令3号", issued_on=date(2023, 6, 1))
    assert document.title == "东街道规章"
    regulatory_document_update(document=document, acting_user=admin, title="东街道规章（修订）")
    with pytest.raises(ValidationError, match="废止日期早于制发日期 2023-06-01"):
        regulatory_document_repeal(document=document, acting_user=admin, repealed_on=date(2023, 1, 1))
    repealed = regulatory_document_repeal(document=document, acting_user=admin, repealed_on=date(2024, 6, 1))
    with pytest.raises(ValidationError, match="已于 2024-06-01 废止"):
        regulatory_document_repeal(document=repealed, acting_user=admin, repealed_on=date(2024, 7, 1))
    assert [h.title for h in repealed.history.order_by("history_id")] == ["东街道规章", "东街道规章（修订）",
                                                                          "东街道规章（修订）"]
    with pytest.raises(ValidationError, match="文号「东令3号」已登记过"):
        regulatory_document_create(agency=world.street, acting_user=admin, kind="rules", title="另一个",
                                   document_number="东令3号", issued_on=date(2023, 6, 2))
    with pytest.raises(PermissionDenied):
        regulatory_document_create(agency=world.street, acting_user=world.users["signer"], kind="rules", title="x",
                                   issued_on=date(2023, 6, 2))


def test_yearly_figures_refuse_negative_numbers(world):
    with pytest.raises(ValidationError, match="不能为负数"):
        yearly_figures_set(agency=world.street, acting_user=world.users["handler"], year=2024, penalty_decisions=-2)
    assert not YearlyFigures.objects.exists()


# ---------------------------------------------------------------- pages


def test_import_page_lists_every_bad_row_and_stores_nothing(client, world):
    client.force_login(world.users["handler"])
    upload = SimpleUploadedFile("bad.csv", "类别,名称,制发日期\n规章,甲,2024-01-01\n通知,乙,2024-02-30\n".encode("gbk"))
    response = client.post(reverse("staff:register_import"), {"agency": world.street.pk, "kind": "documents",
                                                              "file": upload})
    page = response.content.decode()
    assert response.status_code == 400 and "文件有 2 处错误，未导入任何一行" in page
    assert "<td>第 3 行</td><td>类别</td><td>通知</td>" in page and "<td>第 3 行</td><td>制发日期</td><td>2024-02-30</td>" in page
    assert not RegulatoryDocument.objects.exists()


def test_import_page_imports_a_good_xlsx(client, world, tmp_path):
    path = _xlsx(tmp_path, "figures.xlsx", [["年度", "行政许可", "收费金额（万元）"], [2024, 7, 0.25]])
    client.force_login(world.users["agency_admin"])
    response = client.post(reverse("staff:register_import"), {
        "agency": world.street.pk, "kind": "figures",
        "file": SimpleUploadedFile("figures.xlsx", path.read_bytes())})
    assert response.status_code == 302 and response["Location"] == reverse("staff:register_figures")
    figures = YearlyFigures.objects.get(agency=world.street, year=2024)
    assert (figures.licensing_decisions, figures.fees_amount_10k_yuan) == (7, Decimal("0.25"))


def test_hand_entry_pages(client, world):
    client.force_login(world.users["handler"])
    response = client.post(reverse("staff:register_document_create"), {
        "agency": world.street.pk, "kind": "normative_documents", "title": "东街道停车管理办法",
        "document_number": "东街发〔2024〕5号", "issued_on": "2024-04-01", "repealed_on": ""})
    assert response.status_code == 302
    document = RegulatoryDocument.objects.get()
    response = client.post(reverse("staff:register_document_edit", args=[document.pk]),
                           {"repeal-repealed_on": "2024-03-01"})
    assert response.status_code == 400 and "废止日期早于制发日期 2024-04-01" in response.content.decode()
    client.post(reverse("staff:register_document_edit", args=[document.pk]), {"repeal-repealed_on": "2024-10-01"})
    document.refresh_from_db()
    assert document.repealed_on == date(2024, 10, 1)
    response = client.post(reverse("staff:register_figures"), {
        "agency": world.street.pk, "year": "2024", "licensing_decisions": "-3"})
    assert response.status_code == 400 and "不能为负数" in response.content.decode()
    client.post(reverse("staff:register_figures"), {"agency": world.street.pk, "year": "2024",
                                                    "licensing_decisions": "3", "fees_amount_10k_yuan": "2.5"})
    assert annual_report(world.street, 2024).proactive["licensing"] == {"decisions": 3}


def test_register_pages_are_scoped_and_read_only_for_the_supervisor(client, world):
    document = regulatory_document_create(agency=world.street, acting_user=world.users["handler"], kind="rules",
                                          title="东街道规章甲", issued_on=date(2023, 1, 1))
    client.force_login(world.other_intake)
    assert "东街道规章甲" not in client.get(reverse("staff:register_documents")).content.decode()
    assert client.get(reverse("staff:register_document_edit", args=[document.pk])).status_code == 404
    assert client.get(reverse("staff:register_import")).status_code == 403
    client.force_login(world.supervisor)
    assert "东街道规章甲" in client.get(reverse("staff:register_documents")).content.decode()
    page = client.get(reverse("staff:register_document_edit", args=[document.pk]))
    assert page.status_code == 200 and "保存修改" not in page.content.decode()
    response = client.post(reverse("staff:register_document_edit", args=[document.pk]),
                           {"repeal-repealed_on": "2024-10-01"})
    assert response.status_code == 403
    assert client.post(reverse("staff:register_figures"), {"agency": world.street.pk, "year": "2024"}).status_code == 403
    document.refresh_from_db()
    assert document.repealed_on is None


# ---------------------------------------------------------------- command line


def test_cli_exit_codes(world, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GONGKAI_SECRET_KEY", "test-only")
    good = _write(tmp_path, "documents.csv", DOCUMENTS_CSV, "gbk")
    assert gongkai_main(["registers", "import", str(good), "--agency", world.street.full_name]) == 0
    assert "新增 3 条" in capsys.readouterr().out
    assert gongkai_main(["registers", "import", str(good), "--agency", world.street.full_name,
                         "--kind", "documents"]) == 0
    assert "未变 3 条" in capsys.readouterr().out
    figures = _write(tmp_path, "figures.csv", "年度,行政处罚\n2024,-1\n")
    assert gongkai_main(["registers", "import", str(figures), "--agency", world.street.full_name]) == 1
    assert "第 2 行「行政处罚」列「-1」：数量不能为负数" in capsys.readouterr().err
    assert gongkai_main(["registers", "import", str(tmp_path / "missing.csv"), "--agency",
                         world.street.full_name]) == 2
    assert "文件不存在" in capsys.readouterr().err
    assert gongkai_main(["registers", "import", str(good), "--agency", "没有这个机构"]) == 2
    assert not YearlyFigures.objects.exists() and RegulatoryDocument.objects.count() == 3


def test_every_register_page_renders_with_labelled_fields_and_csrf(client, world):
    document = regulatory_document_create(agency=world.street, acting_user=world.users["handler"], kind="rules",
                                          title="东街道规章乙", issued_on=date(2023, 1, 1))
    client.force_login(world.users["agency_admin"])
    pages = {
        "staff:register_documents": (), "staff:register_document_create": (), "staff:register_figures": (),
        "staff:register_import": (), "staff:register_document_edit": (document.pk,)}
    for name, args in pages.items():
        response = client.get(reverse(name, args=args))
        page = response.content.decode()
        assert response.status_code == 200, name
        if name != "staff:register_documents":
            assert "csrfmiddlewaretoken" in page, name
    page = client.get(reverse("staff:register_document_create")).content.decode()
    for field in ("agency", "kind", "title", "document_number", "issued_on", "repealed_on"):
        assert f'<label for="id_{field}">' in page
    assert '<label for="id_repeal-repealed_on">' in client.get(
        reverse("staff:register_document_edit", args=[document.pk])).content.decode()
    assert 'href="/staff/registers/documents/"' in client.get(reverse("staff:case_list")).content.decode()
