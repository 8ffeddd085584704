"""A 2019-format report (格式（试行）) in a tab layout: table 二's 2019 columns and the single （六） row."""

from gongkai.report.read import text_to_report

TABLE_TWO = """二、主动公开政府信息情况
第二十条第（一）项
信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量
规章\t0\t0\t0
规范性文件\t89\t89\t89
第二十条第（五）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政许可\t396\t0\t181
其他对外管理服务事项\t10\t0\t153
第二十条第（六）项
信息内容\t上一年项目数量\t本年增/减\t处理决定数量
行政处罚\t2648\t-185\t38
行政强制\t126\t+19\t25
第二十条第（八）项
信息内容\t上一年项目数量\t本年增/减
行政事业性收费\t35\t0
第二十条第（九）项
信息内容\t采购项目数量\t采购总金额
政府集中采购\t135\t75394432.52元
"""

ROWS = [
    ("一、本年新收政府信息公开申请数量", "23 0 0 0 0 0 23"), ("二、上年结转政府信息公开申请数量", "1 0 0 0 0 0 1"),
    ("三、本年度办理结果\t（一）予以公开", "7 0 0 0 0 0 7"), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1 0 0 0 0 0 1"),
    ("（三）不予公开\t1.属于国家秘密", "0 0 0 0 0 0 0"), ("2.其他法律行政法规禁止公开", "0 0 0 0 0 0 0"),
    ("3.危及“三安全一稳定”", "0 0 0 0 0 0 0"), ("4.保护第三方合法权益", "0 0 0 0 0 0 0"),
    ("5.属于三类内部事务信息", "0 0 0 0 0 0 0"), ("6.属于四类过程性信息", "0 0 0 0 0 0 0"),
    ("7.属于行政执法案卷", "0 0 0 0 0 0 0"), ("8.属于行政查询事项", "0 0 0 0 0 0 0"),
    ("（四）无法提供\t1.本机关不掌握相关政府信息", "7 0 0 0 0 0 7"), ("2.没有现成信息需要另行制作", "0 0 0 0 0 0 0"),
    ("3.补正后申请内容仍不明确", "5 0 0 0 0 0 5"), ("（五）不予处理\t1.信访举报投诉类申请", "0 0 0 0 0 0 0"),
    ("2.重复申请", "3 0 0 0 0 0 3"), ("3.要求提供公开出版物", "0 0 0 0 0 0 0"), ("4.无正当理由大量反复申请", "0 0 0 0 0 0 0"),
    ("5.要求行政机关确认或重新出具已获取信息", "0 0 0 0 0 0 0"), ("（六）其他处理", "0 0 0 0 0 0 0"),
    ("（七）总计", "23 0 0 0 0 0 23"), ("四、结转下年度继续办理", "1 0 0 0 0 0 1"),
]


def report_text(year: int = 2019) -> str:
    table_three = "\n".join(f"{label}\t" + "\t".join(values.split()) for label, values in ROWS)
    return (f"某某区人民政府办公室{year}年政府信息公开工作年度报告\n一、总体情况\n{year}年，我区……\n"
            + TABLE_TWO + "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
            "申请人情况\t自然人\t法人或其他组织\t总计\n商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
            + table_three + "\n四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n"
            "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉\n"
            + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2) + "\n"
            + "0\t1\t0\t0\t1" + "\t0" * 10 + "\n"
            "五、存在的主要问题及改进情况\n无\n六、其他需要报告的事项\n无\n")


def test_2019_table_two_and_the_single_other_row():
    report = text_to_report(report_text())
    assert (report.agency, report.year, report.format) == ("某某区人民政府办公室", 2019, "2019")
    p = report.proactive_2019
    assert p["normative_documents"] == {"made": 89, "published": 89, "total_published": 89}
    assert p["licensing"] == {"previous_items": 396, "change": 0, "decisions": 181}
    assert p["other_management_services"] == {"previous_items": 10, "change": 0, "decisions": 153}
    assert p["penalty"] == {"previous_items": 2648, "change": -185, "decisions": 38}
    assert p["coercion"] == {"previous_items": 126, "change": 19, "decisions": 25}
    assert p["fees"] == {"previous_items": 35, "change": 0}
    assert p["centralized_procurement"] == {"projects": 135, "amount_yuan": 75394432.52}
    assert report.proactive["licensing"] == {"decisions": 181}
    assert report.proactive["rules"] is None
    assert report.applications["other"] == dict.fromkeys(
        ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other", "total"), 0)
    assert report.applications["other.no_correction"] is None
    assert report.appeals["review"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert report.errors() == []


def test_2019_format_in_a_2021_report_is_flagged():
    report = text_to_report(report_text(2022))
    assert report.format == "2019"
    assert "format.2019_columns" in {i.rule for i in report.issues}
