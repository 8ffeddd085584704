from django.conf import settings
from django.db import models


class Agency(models.Model):
    """An administrative body in the tree 区政府 → 部门 / 街道 / 镇."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        GOVERNMENT_OFFICE = "government_office", "政府办公室"
        DEPARTMENT = "department", "部门"
        STREET = "street", "街道"
        TOWN = "town", "镇"
        OTHER = "other", "其他"

    full_name = models.CharField("全称", max_length=200, unique=True)
    short_name = models.CharField("简称", max_length=60, blank=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name="上级机构", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    def subtree_ids(self) -> set[int]:
        """This agency and every agency below it (a few levels; one query per level)."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.update(frontier)
        return ids


class Membership(models.Model):
    """A user's role in an agency; one user may hold several roles."""

    class Role(models.TextChoices):
        INTAKE = "intake", "受理登记"
        HANDLER = "handler", "承办"
        REVIEWER = "reviewer", "审核"
        SIGNER = "signer", "签发"
        AGENCY_ADMIN = "agency_admin", "机构管理员"
        SUPERVISOR = "supervisor", "主管部门"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name="机构", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "岗位"
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


class AttemptCounter(models.Model):
    """Attempts counted under one key (a login address, a username at an address, a form's address).

    One row per key that is being counted; ``attempts.py`` deletes the rows whose window has
    passed, so the table holds only what is being counted now.
    """

    key = models.CharField("计数项", max_length=300, unique=True)
    count = models.PositiveIntegerField("次数", default=0)
    window_ends_at = models.DateTimeField("计数截止", db_index=True)
    blocked = models.BooleanField("已锁定", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "尝试次数（登录锁定、提交限制）"

    def __str__(self) -> str:
        return self.key
