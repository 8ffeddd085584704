"""Outcome → article of the 2019 条例 → the wording of the legal ground: one table.

The answer letter of an application cites the articles its outcome rests on.  The
outcome keys are the rows of table 三 (``gongkai.report.taxonomy``); the articles follow
/work/shared/domain/legal-rules.md (第三十六条 for the kinds of reply, 第十四条–第十六条
for the grounds of 不予公开, 第三十七条 for 部分公开, 第三十条 for 补正, 第三十三条 for
延期, 第四十二条 for fees).  Where that document finds no explicit article (要求确认或
重新出具已获取信息; 其他) the letter cites the 条例 without an article rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.report import taxonomy as tx

LAW = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


@dataclass(frozen=True)
class Basis:
    article: str  # the articles of the 条例 cited, e.g. "第三十六条第（三）项、第十五条"; "" when none is explicit
    reason: str  # the ground in the letter's words, one clause without the final 。
    also: str = ""  # another instrument cited beside the 条例

    @property
    def citation(self) -> str:
        """``根据《…条例》第三十六条第（三）项、第十五条的规定`` — the clause the letters use."""
        cited = f"{LAW}{self.article}" if self.article else f"{LAW}的有关规定"
        if self.also:
            cited += f"和{self.also}"
        return f"根据{cited}" + ("的规定" if self.article else "")


_WITHHELD = "第三十六条第（三）项、"

OUTCOME_BASIS: dict[str, Basis] = {
    "granted": Basis("第三十六条第（二）项", "您申请获取的政府信息属于可以公开的政府信息，本机关予以公开"),
    "partially_granted": Basis(
        "第三十七条", "您申请获取的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理，"
                      "本机关向您提供可以公开的政府信息内容，并对不予公开的内容说明理由"),
    "withheld.state_secret": Basis(_WITHHELD + "第十四条", "您申请获取的政府信息属于依法确定为国家秘密的政府信息"),
    "withheld.prohibited_by_law": Basis(_WITHHELD + "第十四条", "您申请获取的政府信息属于法律、行政法规禁止公开的政府信息"),
    "withheld.security_stability": Basis(
        _WITHHELD + "第十四条", "您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定"),
    "withheld.third_party_rights": Basis(
        _WITHHELD + "第十五条", "您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害"),
    "withheld.internal_affairs": Basis(
        _WITHHELD + "第十六条第一款", "您申请获取的政府信息属于行政机关的人事管理、后勤管理、内部工作流程等内部事务信息"),
    "withheld.process_info": Basis(
        _WITHHELD + "第十六条第二款",
        "您申请获取的政府信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息"),
    "withheld.enforcement_case_file": Basis(_WITHHELD + "第十六条第二款", "您申请获取的政府信息属于行政执法案卷信息"),
    "withheld.administrative_query": Basis(
        "第三十六条第（七）项", "您申请获取的信息属于行政查询事项，有关法律、行政法规对该信息的获取有特别规定，"
                              "请您依照有关法律、行政法规的规定办理"),
    "unable.not_held": Basis("第三十六条第（四）项", "经检索，本机关没有您申请公开的政府信息，该政府信息不存在"),
    "unable.needs_creation": Basis(
        "第三十八条", "您申请获取的信息需要本机关对现有政府信息进行加工、分析才能形成，本机关不予提供"),
    "unable.unclear_after_correction": Basis(
        "第三十条", "经补正后，您的申请内容仍不明确，本机关无法确定您所需的政府信息"),
    "not_processed.petition_complaint": Basis(
        "第三十九条第一款", "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，"
                          "您可以通过相应渠道提出"),
    "not_processed.duplicate": Basis(
        "第三十六条第（六）项", "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同政府信息，本机关不予重复处理"),
    "not_processed.publication": Basis(
        "第三十九条第二款", "您申请获取的是政府公报、报刊、书籍等公开出版物，您可以通过公开发行的途径获取"),
    "not_processed.excessive": Basis(
        "第三十五条", "您申请公开政府信息的数量、频次明显超过合理范围，本机关认为申请理由不合理，不予处理"),
    "not_processed.confirm_or_reissue": Basis(
        "", "您要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理"),
    "other.no_correction": Basis(
        "第三十条", "您无正当理由逾期未作出补正，视为放弃申请，本机关不再处理该政府信息公开申请"),
    "other.unpaid_fee": Basis(
        "第四十二条", "您未在收费通知要求的期限内缴纳信息处理费，本机关不再处理该政府信息公开申请", also=FEE_RULES),
    "other.other": Basis("", "本机关对您的申请作如下处理"),
}

# The three notices sent while an application is being handled.
NOTICE_BASIS: dict[str, Basis] = {
    "correction": Basis("第三十条", "您的申请内容不明确，本机关无法确定您所需的政府信息"),
    "extension": Basis("第三十三条第二款", "本机关不能在收到申请之日起20个工作日内作出答复"),
    "fee": Basis("第四十二条", "您申请公开政府信息的数量、频次明显超过合理范围", also=FEE_RULES),
}

assert set(OUTCOME_BASIS) == set(tx.OUTCOME_KEYS), "every outcome of table 三 needs its legal basis"


def letter_kind_of_outcome(outcome: str) -> str:
    """The answer-letter kind (``LetterKind`` value) of an outcome: its group in table 三."""
    if outcome not in OUTCOME_BASIS:
        raise KeyError(outcome)
    return outcome.split(".")[0]


def basis_of(kind: str, outcome: str = "") -> Basis:
    """The basis a letter of ``kind`` cites: the outcome's for an answer letter, else the notice's."""
    return NOTICE_BASIS[kind] if kind in NOTICE_BASIS else OUTCOME_BASIS[outcome]
