"""Quality flags over the corpus: each names the report, the cell and the source file."""

import copy

import pyarrow.parquet as pq
import pytest
from tests.corpus.tables import SEED_DIR

from gongkai.corpus.ingest import ingest
from gongkai.corpus.query import connect
from gongkai.report.read import read_report
from gongkai.report.write import render


@pytest.fixture
def seed():
    return read_report(sorted(SEED_DIR.glob("000_*.txt"))[0])  # 栖霞区人民政府办公室 2021, every check passes


def write(folder, name, report):
    (folder / name).write_bytes(render(report, "md"))
    return str(folder / name)


def flags_of(out):
    return pq.read_table(out / "flags.parquet").to_pylist()


def test_a_report_identical_to_the_agencys_previous_year_is_flagged(tmp_path, seed):
    earlier = copy.deepcopy(seed)
    earlier.year = 2020
    later = copy.deepcopy(seed)
    later.agency = "栖霞区政府办"  # the same agency, its short name: one agency_key
    later.sections["overview"] = "今年的总体情况不同。"
    write(tmp_path, "2020.md", earlier)
    source = write(tmp_path, "2021.md", later)
    ingest([str(tmp_path)], tmp_path / "out")
    (flag,) = [f for f in flags_of(tmp_path / "out") if f["flag"] == "same_as_previous_year"]
    assert flag["year"] == 2021 and flag["source_file"] == source
    assert flag["previous_report_id"] and flag["previous_report_id"] != flag["report_id"]


def test_another_agency_with_the_same_numbers_is_not_flagged(tmp_path, seed):
    earlier = copy.deepcopy(seed)
    earlier.year = 2020
    earlier.agency = "鼓楼区人民政府办公室"
    write(tmp_path, "2020.md", earlier)
    write(tmp_path, "2021.md", seed)
    ingest([str(tmp_path)], tmp_path / "out")
    assert not [f for f in flags_of(tmp_path / "out") if f["flag"] == "same_as_previous_year"]


def test_zero_total_balance_and_jump(tmp_path, seed):
    earlier = copy.deepcopy(seed)
    earlier.year = 2020
    later = copy.deepcopy(seed)
    later.applications["granted"]["total"] = 0          # parts 14 + 0 …: a zero 总计 with non-zero parts
    later.appeals["review"] = {"upheld": 40, "corrected": 10, "other": 0, "pending": 0, "total": 50}
    earlier.appeals["review"] = {"upheld": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2}
    write(tmp_path, "2020.md", earlier)
    source = write(tmp_path, "2021.md", later)
    ingest([str(tmp_path)], tmp_path / "out")
    flags = {(f["flag"], f["where"]): f for f in flags_of(tmp_path / "out")}
    zero = flags[("zero_total", "applications.granted.total")]
    assert zero["source_file"] == source and "分项之和为 14" in zero["message"]
    assert any(flag == "balance" for flag, _ in flags)
    jump = flags[("jump", "appeals.review.total")]
    assert (jump["value"], jump["previous_value"]) == (50, 2)
    assert ("jump", "applications.new.total") not in flags


def test_a_number_in_the_text_that_contradicts_table_three_is_flagged(tmp_path, seed):
    seed.sections["overview"] = "本年度共收到政府信息公开申请99件。"
    source = write(tmp_path, "2021.md", seed)
    ingest([str(tmp_path)], tmp_path / "out")
    (flag,) = [f for f in flags_of(tmp_path / "out") if f["flag"] == "text_contradicts_table"]
    # The flag names the cell the text contradicts, the passage and the source.
    assert flag["source_file"] == source and flag["where"] == "applications.new.total"
    assert flag["other_where"] == "sections.overview"
    assert (flag["value"], flag["previous_value"]) == (99, seed.applications["new"]["total"])
    assert "99" in flag["message"]


@pytest.mark.parametrize(("text", "cell", "stated"), [
    ("2021年共收到政府信息公开申请99件。", "applications.new.total", 99),
    ("全年共答复办结申请 7 件。", "applications.total.total", 7),
    ("另有3件结转至下一年度办理。", "applications.carried_forward.total", 3),
])
def test_each_kind_of_count_in_the_text_links_to_its_own_cell(tmp_path, seed, text, cell, stated):
    table, row, column = cell.split(".")
    seed.sections["overview"] = text
    if getattr(seed, table)[row][column] == stated:
        getattr(seed, table)[row][column] = stated + 1
    write(tmp_path, "2021.md", seed)
    ingest([str(tmp_path)], tmp_path / "out")
    (flag,) = [f for f in flags_of(tmp_path / "out") if f["flag"] == "text_contradicts_table"]
    assert (flag["where"], flag["value"]) == (cell, stated)
    assert flag["previous_value"] == getattr(seed, table)[row][column]


def test_a_section_copied_from_another_agency_is_flagged(tmp_path, seed):
    problems = "工作中还存在一些不足：主动公开的深度和广度有待加强，政策解读形式较为单一，" * 3
    other = copy.deepcopy(seed)
    other.agency = "鼓楼区人民政府办公室"
    for report in (seed, other):
        report.sections["problems"] = problems
    other.sections["overview"] = "鼓楼区的总体情况。"
    write(tmp_path, "qixia.md", seed)
    write(tmp_path, "gulou.md", other)
    same_agency = copy.deepcopy(seed)
    same_agency.year = 2020
    write(tmp_path, "qixia-2020.md", same_agency)  # an agency repeating its own words is not copying
    ingest([str(tmp_path)], tmp_path / "out")
    copied = [f for f in flags_of(tmp_path / "out") if f["flag"] == "text_copied"]
    assert sorted(f["where"] for f in copied) == ["sections.problems"] * 3
    assert all("另外 1 个单位" in f["message"] for f in copied)


PROBLEMS = ("一是主动公开的深度和广度有待加强，部分栏目信息更新不够及时；二是政策解读形式较为单一，图文、视频解读占比不高；"
            "三是依申请公开答复的规范化水平仍需提升，工作人员业务能力有待进一步加强。")
REWORDED = ("一是主动公开的深度与广度有待加强，部分栏目信息更新不够及时；二是政策解读形式比较单一，图文、视频解读占比不高；"
            "三是依申请公开答复的规范化水平仍需提高，工作人员业务能力有待进一步加强。")
DIFFERENT = ("2021年，本机关共办理政府信息公开申请28件，较上年增加6件，均在法定期限内答复；全年未发生因政府信息公开引起的"
             "行政复议和行政诉讼。下一步将推进基层政务公开标准化规范化建设，完善公开目录。")


def text_flags_of(tmp_path, **reports):
    for name, report in reports.items():
        write(tmp_path, f"{name}.md", report)
    ingest([str(tmp_path)], tmp_path / "out")
    return [f for f in flags_of(tmp_path / "out") if f["flag"].startswith("text_") and f["flag"] != "text_contradicts_table"]


def test_a_section_reworded_from_another_agencys_by_a_few_characters_is_flagged(tmp_path, seed):
    other = copy.deepcopy(seed)
    other.agency = "鼓楼区人民政府办公室"
    other.year = 2019  # another agency, any year
    seed.sections["problems"], other.sections["problems"] = REWORDED, PROBLEMS
    other.sections["overview"] = "鼓楼区的总体情况。"
    flags = text_flags_of(tmp_path, qixia=seed, gulou=other)
    by_report = {f["report_id"]: f for f in flags}
    assert len(flags) == 2 and {f["flag"] for f in flags} == {"text_copied"}
    (qixia,) = [f for f in flags if f["source_file"].endswith("qixia.md")]
    gulou = by_report[qixia["previous_report_id"]]
    assert gulou["previous_report_id"] == qixia["report_id"]
    assert qixia["where"] == qixia["other_where"] == "sections.problems"
    assert 0.5 <= qixia["value"] < 1.0 and qixia["value"] == gulou["value"]
    assert "另外 1 个单位" in qixia["message"] and f"{qixia['value']:.2f}" in qixia["message"]


def test_two_different_sections_in_the_same_vocabulary_are_not_flagged(tmp_path, seed):
    other = copy.deepcopy(seed)
    other.agency = "鼓楼区人民政府办公室"
    seed.sections["problems"], other.sections["problems"] = PROBLEMS, DIFFERENT
    other.sections["overview"] = "鼓楼区的总体情况。"
    assert text_flags_of(tmp_path, qixia=seed, gulou=other) == []


def test_the_agencys_previous_year_repeated_is_its_own_flag_not_copying(tmp_path, seed):
    earlier = copy.deepcopy(seed)
    earlier.year = 2020
    seed.agency = "栖霞区政府办"  # the same agency_key under its short name
    seed.sections["problems"], earlier.sections["problems"] = REWORDED, PROBLEMS
    seed.sections["overview"] = "今年的总体情况不同。"
    older = copy.deepcopy(earlier)
    older.year = 2018  # two years back: not the previous year, and not another agency
    older.sections["overview"] = "二〇一八年的总体情况。"
    flags = text_flags_of(tmp_path, y2021=seed, y2020=earlier, y2018=older)
    (flag,) = flags
    assert flag["flag"] == "text_repeats_previous_year" and flag["year"] == 2021
    assert flag["source_file"].endswith("y2021.md") and flag["where"] == flag["other_where"] == "sections.problems"
    sql = "SELECT year FROM reports WHERE report_id = ?"
    assert connect(tmp_path / "out").execute(sql, [flag["previous_report_id"]]).fetchall() == [(2020,)]
    assert "上一年度" in flag["message"]


def test_a_short_boilerplate_section_is_not_flagged(tmp_path, seed):
    other = copy.deepcopy(seed)
    other.agency = "鼓楼区人民政府办公室"
    for report in (seed, other):
        report.sections["other"] = "本机关无其他需要报告的事项。根据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。"
        report.sections["problems"] = "无。"
    seed.sections["overview"], other.sections["overview"] = PROBLEMS, DIFFERENT
    assert text_flags_of(tmp_path, qixia=seed, gulou=other) == []
