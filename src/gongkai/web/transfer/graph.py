"""Which rows belong to an agency: every model with a chain of foreign keys leading to ``Agency``.

Nobody keeps a list: a model added later with a foreign key to an agency's record (or to the
agency) is exported and imported without anyone remembering it. Models with no such chain are
named in ``NOT_AGENCY_DATA`` with the reason; a test fails when a model is in neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

# Models that hold no record of one agency, and why. Users are exported, but as the people the
# records name (``export.user_rows``), not as rows of the agency.
NOT_AGENCY_DATA = {
    "auth.user": "作为记录中出现的人员单独导出（不含密码摘要）",
    "auth.group": "本系统不使用用户组",
    "auth.permission": "Django 的权限定义，由迁移建立",
    "contenttypes.contenttype": "Django 的模型目录，由迁移建立",
    "sessions.session": "登录会话，换站点后作废",
    "admin.logentry": "管理后台的操作日志，属于站点而不属于机构",
    "agencies.attemptcounter": "登录失败和表单提交的计数（按网络地址），属于站点安全而不属于机构",
    "schedules.holidayschedule": "全站共用的节假日安排（国务院办公厅通知），属于站点而不属于机构",
    "explorer.explorersettings": "年度报告语料库是否向公众开放，属于站点而不属于机构",
}


@dataclass(frozen=True)
class AgencyModel:
    model: type[models.Model]
    path: tuple[str, ...]  # foreign keys from the model to Agency, e.g. ("application", "agency")

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows(self, agency) -> models.QuerySet:
        return self.model._base_manager.filter(**{"__".join(self.path): agency}).order_by("pk")


def _forward_keys(model: type[models.Model]):
    for field in model._meta.concrete_fields:
        if field.is_relation and (field.many_to_one or field.one_to_one):
            yield field


def agency_models() -> list[AgencyModel]:
    """Every concrete model whose rows reach ``Agency`` along foreign keys, by the shortest chain.

    Ordered so that a model comes after the models its chain goes through (nearest to the agency first).
    """
    agency = apps.get_model("agencies", "Agency")
    paths: dict[type[models.Model], tuple[str, ...]] = {agency: ()}
    candidates = [m for m in apps.get_models() if not m._meta.proxy and m is not agency]
    changed = True
    while changed:  # shortest chains first: each pass extends chains by one key
        changed = False
        found = {}
        for model in candidates:
            if model in paths:
                continue
            for field in _forward_keys(model):
                target = field.related_model
                if target in paths:
                    path = (field.name, *paths[target])
                    if model not in found or len(path) < len(found[model]):
                        found[model] = path
        if found:
            paths.update(found)
            changed = True
    del paths[agency]
    ordered = sorted(paths.items(), key=lambda item: (len(item[1]), item[0]._meta.label_lower))
    return [AgencyModel(model, path) for model, path in ordered]


def user_keys(model: type[models.Model]) -> list[models.Field]:
    """The model's foreign keys to users: whom its rows name (assignee, acting user, history user...)."""
    user = get_user_model()
    return [field for field in _forward_keys(model) if field.related_model is user]


def uncovered_models() -> list[str]:
    """Models neither exported as an agency's records nor listed as not agency data, by label."""
    covered = {m.label for m in agency_models()} | set(NOT_AGENCY_DATA) | {"agencies.agency"}
    return sorted(m._meta.label_lower for m in apps.get_models()
                  if not m._meta.proxy and m._meta.label_lower not in covered)
