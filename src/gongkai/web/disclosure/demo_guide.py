"""The sample 政府信息公开指南 and 公开制度 of the demo (示例数据), written once and filled with an agency's name.

The caller puts the 【示例数据】 mark in front (``demo.SAMPLE_MARK``); the first line is the title.

The structure follows a real guide: 主动公开 (范围、方式、时限), 依申请公开 (受理机构、地址、办公时间、
电话、步骤、答复期限), 收费 (国办函〔2020〕109号) and 救济途径. Address and telephone are made up and
say so. A line starting with 一、 or （一） is a heading when the portal shows the text.
"""

from __future__ import annotations

from gongkai.workdays import fees

_GUIDE = """{agency}政府信息公开指南

本指南依据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制，供公民、法人和其他组织获取本机关政府信息时参考。（示例数据：地址、电话等均为虚构，请勿使用。）

一、主动公开
（一）公开范围
本机关依照《条例》第十九条、第二十条的规定，主动公开机构职能、规章和行政规范性文件、政策解读、财政预算决算、行政许可和行政处罚、社会救助、重大建设项目等政府信息。具体内容见本专栏“法定主动公开内容”及基层政务公开标准目录。
（二）公开方式
主动公开的政府信息通过本机关政府信息公开专栏发布，并可通过政府公报、新闻发布会、档案馆和公共图书馆设置的政府信息查阅场所等途径获取。
（三）公开时限
属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开（《条例》第二十六条）。法律、法规对公开期限另有规定的，从其规定。

二、依申请公开
（一）受理机构
名称：{agency}政府信息公开工作机构
地址：示范区示范路1号（示例地址）
邮政编码：100000（示例）
办公时间：工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）
联系电话：010-00000000（示例号码）
（二）申请方式
申请人可以通过本系统“申请公开入口”在线提交申请，也可以通过信函或者当面提交书面申请。申请应当包括申请人的姓名或者名称、身份证明、联系方式，申请公开的政府信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式、途径（《条例》第二十九条）。
（三）办理步骤
1. 受理登记：本机关收到申请后登记，在线申请的，以双方确认之日为收到申请之日（《条例》第三十一条）。
2. 补正：申请内容不明确的，本机关自收到申请之日起7个工作日内一次性告知申请人补正；答复期限自收到补正的申请之日起计算（《条例》第三十条）。
3. 征求意见：公开可能损害第三方合法权益的，书面征求第三方意见，征求意见所需时间不计算在答复期限内（《条例》第三十二条）。
4. 答复：能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内予以答复；需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过20个工作日（《条例》第三十三条）。

三、收费
本机关依申请提供政府信息，不收取费用（《条例》第四十二条）。申请人申请公开政府信息的数量、频次明显超过合理范围的，依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费，按件计收或者按量计收，不同时按两种标准重复计算：
（一）按件计收
同一申请人一个自然月内累计申请{free}件以下（含{free}件）的，不收费；{band_start_before_first}—{band_last_before}件（含{band_last_before}件）的部分，{base_rate}元/件；{band_start}件以上的部分，以{band_size}件为一档，每增加一档，收费标准提高{band_step}元/件。
（二）按量计收
{page_bands}

四、救济途径
公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼（《条例》第五十一条）。
"""

_RULES = """{agency}政府信息公开制度

一、发布审核制度
主动公开的政府信息发布前，依次经承办人撰写、审核人审核、保密审查和负责人签发，每一步留存意见和时间。未经审核和签发的信息不得发布。
二、保密审查制度
拟公开的政府信息依照《中华人民共和国保守国家秘密法》及其他法律、法规和国家有关规定进行审查；不能确定是否可以公开的，依法报有关主管部门或者保密行政管理部门确定。
三、依申请公开办理制度
依申请公开实行登记、补正、征求意见、审核、签发、送达全流程记录，按照工作日计算答复期限，临近期限自动提醒。
四、监督考核制度
政府信息公开工作年度报告于每年1月31日前向社会公布，接受社会监督。
"""


def _page_bands() -> str:
    lines = []
    for first, last, rate in fees.PAGE_BANDS:
        span = f"{first}页以上" if last is None else (f"{last}页以下（含{last}页）" if first == 1
                                                   else f"{first}—{last}页（含{last}页）")
        lines.append(f"{span}的，不收费；" if rate == 0 else f"{span}的部分，{rate}元/页；")
    return "".join(lines).rstrip("；") + "。"


def demo_guide(agency_name: str) -> str:
    """The sample 公开指南 of ``agency_name``; the fee figures come from ``gongkai.workdays.fees``."""
    return _GUIDE.format(
        agency=agency_name, free=fees.FREE_APPLICATIONS_PER_MONTH,
        band_start_before_first=fees.FREE_APPLICATIONS_PER_MONTH + 1,
        band_last_before=fees.PER_APPLICATION_BAND_START - 1, base_rate=fees.PER_APPLICATION_BASE_RATE,
        band_start=fees.PER_APPLICATION_BAND_START, band_size=fees.PER_APPLICATION_BAND_SIZE,
        band_step=fees.PER_APPLICATION_BAND_STEP, page_bands=_page_bands(),
    )


def demo_rules(agency_name: str) -> str:
    """The sample 公开制度 of ``agency_name``."""
    return _RULES.format(agency=agency_name)
