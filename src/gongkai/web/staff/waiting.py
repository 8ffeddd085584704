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
