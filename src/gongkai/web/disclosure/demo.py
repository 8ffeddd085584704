"""Sample publications for the demo (示例数据): made-up content, every title marked as such.

``load_demo_publications(agencies)`` runs each item through the real review steps (撰写 →
审核 → 保密审查 → 签发), each step by a loader user of its own holding that one role
(four eyes hold here too), so the portal and its search show real behaviour from the first
start.  The loader users act in the loader only: nobody logs in as them, and their roles
are taken away again once the samples are published.  Running it twice adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongkai.web.agencies.models import Agency, Membership

from . import services
from .demo_guide import demo_guide, demo_rules
from .models import AgencyDisclosure, Article20Item, CatalogueDomain, DisclosureRole, Genre, Publication

SAMPLE_MARK = "【示例数据】"
# One loader user per step, each with the one role that step needs.
LOADER_STEPS = {
    "writer": ("demo_loader_writer", "示例撰写人", Membership.Role.HANDLER),
    "reviewer": ("demo_loader_reviewer", "示例审核人", Membership.Role.REVIEWER),
    "secrecy": ("demo_loader_secrecy", "示例保密审查人", DisclosureRole.Role.SECRECY_REVIEWER),
    "signer": ("demo_loader_signer", "示例签发人", Membership.Role.SIGNER),
}
# The single loader account of earlier versions held all four roles in every agency.
OLD_LOADER = "demo_disclosure"
YEAR = 2021
# The sample 规范性文件 and its 解读 are dated the year after the seeds' reports: published
# 规范性文件 feed table 二, and most seed agencies reported issuing none in 2021.
POLICY_YEAR = YEAR + 1


def _loader_users() -> dict:
    users = {}
    for step, (username, name, _) in LOADER_STEPS.items():
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.set_unusable_password()  # acts in the loader only; nobody logs in as it
            user.save(update_fields=["password"])
        users[step] = user
    return users


def _grant(users: dict, agency: Agency) -> None:
    for step, (_, _, role) in LOADER_STEPS.items():
        if role in DisclosureRole.Role.values:
            DisclosureRole.objects.get_or_create(user=users[step], agency=agency, role=role)
        else:
            Membership.objects.get_or_create(user=users[step], agency=agency, role=role)


def _revoke_loader_roles() -> None:
    """The loader's roles end with the load, so nobody but the agency's own staff acts on its items."""
    loaders = [username for username, _, _ in LOADER_STEPS.values()] + [OLD_LOADER]
    Membership.objects.filter(user__username__in=loaders).delete()
    DisclosureRole.objects.filter(user__username__in=loaders).delete()


def _release(publication: Publication, users: dict, formed_on: date) -> Publication:
    publication = services.publication_submit(publication=publication, acting_user=users["writer"],
                                              comment="示例：提交审核")
    publication = services.publication_approve(publication=publication, acting_user=users["reviewer"],
                                               comment="示例：审核通过")
    publication = services.publication_clear(publication=publication, acting_user=users["secrecy"],
                                             comment="示例：不涉密")
    when = timezone.make_aware(datetime.combine(formed_on + timedelta(days=5), time(9, 0)))
    return services.publication_publish(publication=publication, acting_user=users["signer"], comment="示例：签发",
                                        publish_at=when)


def _items(agency: Agency) -> list[dict]:
    short = agency.short_name or agency.full_name[:6]
    return [
        {"key": "policy", "title": "关于进一步做好城乡低保对象动态管理工作的通知", "genre": Genre.NORMATIVE_DOCUMENT,
         "article20_item": Article20Item.REGULATIONS, "formed_on": date(POLICY_YEAR, 3, 8),
         "doc_number": f"{short}规〔{POLICY_YEAR}〕1号", "topic": "民政、扶贫、救灾",
         "catalogue_domain": CatalogueDomain.SOCIAL_ASSISTANCE, "catalogue_matter": "最低生活保障",
         "body": "（示例数据，非真实文件）为规范最低生活保障（低保）工作，现就低保对象的申请、审核确认、"
                 "动态管理和退出等事项通知如下：一、低保申请由申请人向户籍所在地街道（镇）提出；"
                 "二、对低保对象实行分类动态管理；三、申请人对审核确认结果不服的，可以依法申请行政复议或者提起行政诉讼。"},
        {"key": "interpretation", "title": "《关于进一步做好城乡低保对象动态管理工作的通知》政策解读",
         "genre": Genre.INTERPRETATION, "article20_item": Article20Item.REGULATIONS,
         "formed_on": date(POLICY_YEAR, 3, 9),
         "topic": "民政、扶贫、救灾", "catalogue_domain": CatalogueDomain.SOCIAL_ASSISTANCE,
         "catalogue_matter": "最低生活保障",
         "body": "（示例数据）一问一答解读低保新规：哪些家庭可以申请低保？低保金如何计算？对结果有异议怎么办？"},
        {"key": "meeting", "title": f"{YEAR}年第3次主任办公会议纪要", "genre": Genre.MEETING,
         "article20_item": Article20Item.OTHER, "formed_on": date(YEAR, 4, 12), "topic": "综合政务",
         "body": "（示例数据）会议研究了优化营商环境重点任务分工、政务公开工作要点落实情况。", "column": "优化营商环境"},
        {"key": "budget", "title": f"{agency.full_name}{YEAR}年部门预算", "genre": Genre.BUDGET,
         "article20_item": Article20Item.BUDGETS, "formed_on": date(YEAR, 2, 20), "topic": "财政、金融、审计",
         "catalogue_domain": CatalogueDomain.FINANCE, "catalogue_matter": "部门预算",
         "body": "（示例数据）本部门收支预算总表、一般公共预算财政拨款支出表、“三公”经费预算情况说明。"},
        {"key": "remedy", "title": "关于政府信息公开申请答复的行政复议和行政诉讼渠道的告知", "genre": Genre.NOTICE,
         "article20_item": Article20Item.OTHER, "formed_on": date(YEAR, 5, 10), "topic": "综合政务",
         "body": "（示例数据）申请人认为行政机关在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议，"
                 "也可以依法提起行政诉讼。复议机关为上一级人民政府。"},
    ]


def load_demo_publications(agencies: list[Agency] | None = None) -> int:
    """Create and publish the sample items of each agency (default: every agency); returns how many were made."""
    agencies = list(agencies if agencies is not None else Agency.objects.order_by("pk"))
    users = _loader_users()
    made = 0
    for agency in agencies:
        if Publication.objects.filter(agency=agency, title__startswith=SAMPLE_MARK).exists():
            continue
        with transaction.atomic():
            _grant(users, agency)
            AgencyDisclosure.objects.update_or_create(agency=agency, defaults={
                "agency_code": f"DEMO{agency.pk:03d}",
                "guide": SAMPLE_MARK + demo_guide(agency.full_name),
                "rules": SAMPLE_MARK + demo_rules(agency.full_name),
            })
            created: dict[str, Publication] = {}
            for item in _items(agency):
                fields = {k: v for k, v in item.items() if k not in ("key", "title", "genre", "article20_item",
                                                                     "formed_on")}
                if item["key"] == "interpretation":
                    fields["interprets"] = created["policy"]
                publication = services.publication_create(
                    agency=agency, acting_user=users["writer"], title=SAMPLE_MARK + item["title"],
                    genre=item["genre"], article20_item=item["article20_item"], formed_on=item["formed_on"],
                    written_on=item["formed_on"], **fields)
                created[item["key"]] = _release(publication, users, item["formed_on"])
                made += 1
    _revoke_loader_roles()
    return made
