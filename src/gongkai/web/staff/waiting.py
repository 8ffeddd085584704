""""Who acts next" on a publication or an annual report version that waits for a step.

A page that offers the user nothing says instead which step comes next, which role takes
it, and who in the agency holds that role; a holder who wrote or submitted the version is
named as barred (four eyes), so nobody waits for a step that nobody may take.
"""

from __future__ import annotations

from dataclasses import dataclass


def person_name(user) -> str:
    """A user as staff pages name them: the full name with the login, or the login alone.

    Chinese names read family name first and without a space (李审), others as Django joins them.
    """
    family, given = user.last_name.strip(), user.first_name.strip()
    full = f"{family}{given}" if not (family + given).isascii() else user.get_full_name().strip()
    return f"{full}（{user.get_username()}）" if full else user.get_username()


@dataclass(frozen=True)
class Waiting:
    step: str  # 审核通过
    roles: str  # 审核
    holders: tuple[str, ...]  # who may take it
    barred: tuple[str, ...]  # holders who wrote or submitted this version

    @property
    def text(self) -> str:
        says = f"下一步：{self.step}，由本机构{self.roles}岗位办理。"
        if self.holders:
            says += f"本机构担任该岗位的有：{'、'.join(self.holders)}。"
        if self.barred:
            says += f"{'、'.join(self.barred)}撰写或提交了本版本，按“双人复核”规定不能办理这一步。"
        if not self.holders:
            says += "本机构目前没有可以办理这一步的人员，请机构管理员在管理后台为其他人员设置该岗位。"
        return says


def waiting_for(step: str, roles: str, holders, writer_ids: set[int]) -> Waiting:
    free = tuple(person_name(user) for user in holders if user.pk not in writer_ids)
    barred = tuple(person_name(user) for user in holders if user.pk in writer_ids)
    return Waiting(step, roles, free, barred)


def case_waiting(application, offered: set[str]) -> Waiting | None:
    """Who acts next on an open case when its next step is not among the steps ``offered`` to the
    user; None for a closed case or when the user takes that step.

    The next step is the staff home's (``home.NEXT_STEP``); once a case has a 承办人, the
    steps only a handler takes are theirs alone.
    """
    from gongkai.web.agencies.models import Membership
    from gongkai.web.agencies.selectors import users_holding
    from gongkai.web.cases.rules import STEP_ROLES

    from .home import EXTENSION_STEP, NEXT_STEP
    from .steps import STEPS

    if application.extension_days and not application.extension_approved_on:
        step = EXTENSION_STEP[0]
    elif application.state in NEXT_STEP:
        step = NEXT_STEP[application.state][0]
    else:
        return None
    if step in offered:
        return None
    roles = STEP_ROLES[step]
    if roles == (Membership.Role.HANDLER,) and application.assignee_id:
        holders = [application.assignee]
    else:
        holders = users_holding(application.agency, roles)
    role_names = "或".join(str(Membership.Role(role).label) for role in roles)
    return waiting_for(STEPS[step].label, role_names, holders, set())
