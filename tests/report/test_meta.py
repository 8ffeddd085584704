"""Agency, year and sections from the many ways real reports print them."""

import pytest

from gongkai.report.read import meta
from gongkai.report.read.text import fold_width


@pytest.mark.parametrize(("lines", "agency", "year"), [
    (["栖霞区人民政府办公室", "2021年度政府信息公开工作年度报告"], "栖霞区人民政府办公室", 2021),
    (["梁园区人民政府办公室2021年政府信息公开工作年度报告"], "梁园区人民政府办公室", 2021),
    (["# 老城区东南隅街道办事处2021年政府信息公开工作年度报告"], "老城区东南隅街道办事处", 2021),
    (["正文", "2024 年上海市科委政府信息公开工作", "年度报告"], "上海市科委", 2024),
    (["| 区政务服务办政府信息公开工作年度报告(2021年度) | "], "区政务服务办", 2021),
    (["北京市朝阳区人民政府关于2021年政府信息公开工作年度报告"], "北京市朝阳区人民政府", 2021),
    (["标题: 平潭综合实验区2019年度政府信息公开工作年度报告", "发布时间: 2020-01-20 15:22"], "平潭综合实验区", 2019),
    (["当前位置：首页 > 政务公开 > 政府信息公开年报", "南郊镇2021年度政府信息公开工作年度报告"], "南郊镇", 2021),
    (["某某市生态环境局２０２２年度政府信息公开工作年度报告"], "某某市生态环境局", 2022),
    (["某某县人民政府二〇二一年度政府信息公开工作年度报告"], "某某县人民政府", 2021),
])
def test_title_gives_agency_and_the_year_covered(lines, agency, year):
    title = meta.find_title([fold_width(line) for line in lines])
    assert (title.agency, title.year) == (agency, year)


def test_no_title_found_in_plain_prose():
    assert meta.find_title(["今天天气很好。", "我们去公园。"]).year is None


def test_year_from_the_statistics_period_when_the_title_has_none():
    text = "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。"
    assert meta.covered_year_from_text(text) == 2020


def test_full_name_from_footer_or_metadata():
    assert meta.host_agency("……\n主办单位:滨海新区人民政府政务服务办公室\n网站标识码") == "滨海新区人民政府政务服务办公室"
    assert meta.publisher_agency("发布机构：某某县人民政府办公室\n成文日期") == "某某县人民政府办公室"


def test_sections_in_a_one_line_dump_glued_to_numbers():
    text = fold_width("一、总体情况 2021年… 二、主动公开政府信息情况…元三、收到和处理政府信息公开申请情况…"
                      "0000000四、政府信息公开行政复议、行政诉讼情况…1200000五、存在的主要问题及改进情况…六、其他需要报告的事项 无")
    assert [s.key for s in meta.find_sections(text)] == ["overview", "proactive", "applications", "appeals",
                                                           "problems", "other"]


def test_a_sentence_listing_the_sections_is_not_a_heading():
    text = "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。\n一、总体情况\n…"
    spans = meta.find_sections(text)
    assert spans[0].key == "overview" and text[spans[0].heading_start:].startswith("一、总体情况")
    assert [s.key for s in spans] == ["overview"]
