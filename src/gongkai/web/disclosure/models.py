"""Proactive disclosure (主动公开): publications, their review trail and the agency's portal texts.

A publication is written (撰写), reviewed (审核), cleared for secrets (保密审查) and signed
(签发) before it is published (已发布); only ``selectors.publications_public`` decides what
the public sees.  States change only through ``services``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from gongkai.web.counters import AgencyYearCounter
from gongkai.web.schedules.calendar import site_calendar
from gongkai.workdays.errors import WorkdaysError

DISCLOSURE_WORKING_DAYS = 20  # 条例第二十六条：自该政府信息形成或者变更之日起20个工作日内及时公开
DEFAULT_INDEX_PATTERN = "{agency_code}/{year}-{seq:05d}"


class Article20Item(models.IntegerChoices):
    """条例第二十条 (一)–(十五), wording from the 2019 text."""

    REGULATIONS = 1, "（一）行政法规、规章和规范性文件"
    ORGANISATION = 2, "（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"
    PLANS = 3, "（三）国民经济和社会发展规划、专项规划、区域规划及相关政策"
    STATISTICS = 4, "（四）国民经济和社会发展统计信息"
    LICENSING = 5, "（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"
    PENALTIES = 6, "（六）实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定"
    BUDGETS = 7, "（七）财政预算、决算信息"
    FEES = 8, "（八）行政事业性收费项目及其依据、标准"
    PROCUREMENT = 9, "（九）政府集中采购项目的目录、标准及实施情况"
    CONSTRUCTION = 10, "（十）重大建设项目的批准和实施情况"
    WELFARE = 11, "（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"
    EMERGENCIES = 12, "（十二）突发公共事件的应急预案、预警信息及应对情况"
    INSPECTIONS = 13, "（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"
    CIVIL_SERVICE = 14, "（十四）公务员招考的职位、名额、报考条件等事项以及录用结果"
    OTHER = 15, "（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"


class CatalogueDomain(models.TextChoices):
    """基层政务公开标准目录 domains (a selection; more can be added without a data change)."""

    PUBLIC_CULTURE = "public_culture", "公共文化服务"
    EMPLOYMENT = "employment", "就业"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    SOCIAL_ASSISTANCE = "social_assistance", "社会救助"
    HEALTH = "health", "卫生健康"
    ELDERLY_CARE = "elderly_care", "养老服务"
    ECOLOGY = "ecology", "生态环境"
    FINANCE = "finance", "财政预决算"
    HOUSING = "housing", "保障性住房"
    EDUCATION = "education", "义务教育"
    OTHER = "other", "其他"


class Genre(models.TextChoices):
    """体裁. 规章 and 行政规范性文件 carry 有效性 (they feed table 二 of the annual report)."""

    RULE = "rule", "规章"
    NORMATIVE_DOCUMENT = "normative_document", "行政规范性文件"
    OTHER_DOCUMENT = "other_document", "其他文件"
    INTERPRETATION = "interpretation", "政策解读"
    MEETING = "meeting", "会议"
    BUDGET = "budget", "财政预决算"
    NOTICE = "notice", "通知公告"
    PROPOSAL_REPLY = "proposal_reply", "建议提案办理"
    PROCUREMENT = "procurement", "采购"
    OTHER = "other", "其他"


GENRES_WITH_VALIDITY = (Genre.RULE, Genre.NORMATIVE_DOCUMENT)


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    REPEALED = "repealed", "废止"
    EXPIRED = "expired", "失效"


class DisclosureRole(models.Model):
    """Roles of the disclosure review that ``agencies.Membership`` does not have.

    撰写 is the 承办 role, 审核 the 审核 role and 签发 the 签发 role of ``Membership``; the
    保密审查 step needs this extra role, held in one agency.
    """

    class Role(models.TextChoices):
        SECRECY_REVIEWER = "secrecy_reviewer", "保密审查"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="disclosure_roles")
    agency = models.ForeignKey("agencies.Agency", verbose_name="机构", on_delete=models.CASCADE,
                               related_name="disclosure_roles")
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "主动公开岗位"
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="disclosure_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"


def validate_index_pattern(pattern: str) -> None:
    try:
        sample = pattern.format(agency_code="X", year=2024, seq=1)
    except (KeyError, IndexError, ValueError) as error:
        raise ValidationError(f"索引号规则「{pattern}」无效：只能使用 {{agency_code}}、{{year}}、{{seq}}（{error}）") from None
    if "{seq" not in pattern or not sample.strip():
        raise ValidationError("索引号规则必须包含顺序号 {seq}，否则索引号会重复")


class AgencyDisclosure(models.Model):
    """An agency's portal texts and its 索引号 pattern."""

    agency = models.OneToOneField("agencies.Agency", verbose_name="机构", on_delete=models.CASCADE,
                                  related_name="disclosure")
    agency_code = models.CharField("机构代码", max_length=40, help_text="用于索引号，如统一社会信用代码或组织机构代码")
    index_pattern = models.CharField("索引号规则", max_length=100, default=DEFAULT_INDEX_PATTERN,
                                     validators=[validate_index_pattern],
                                     help_text="可用 {agency_code}、{year}、{seq}，如 {agency_code}/{year}-{seq:05d}")
    guide = models.TextField("政府信息公开指南", blank=True)
    rules = models.TextField("政府信息公开制度", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "公开专栏设置"

    def __str__(self) -> str:
        return str(self.agency)


class IndexNumberCounter(AgencyYearCounter):
    """The last 索引号 sequence number per agency and year (see ``gongkai.web.counters``)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="index_counter_unique")]


class Publication(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "撰写"
        REVIEW = "review", "审核"
        SECRECY_REVIEW = "secrecy_review", "保密审查"
        SIGNING = "signing", "签发"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"
        MERGED = "merged", "更正已生效"  # a correction (``revision_of``) once signed: its content is the item's now

    agency = models.ForeignKey("agencies.Agency", verbose_name="发布机构", on_delete=models.PROTECT,
                               related_name="publications")
    index_number = models.CharField("索引号", max_length=100, unique=True)
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField("形成或者变更日期", help_text="条例第二十六条的20个工作日从此日起算")
    published_on = models.DateField("发布日期", null=True, blank=True)
    publish_at = models.DateTimeField("发布时间", null=True, blank=True, help_text="晚于现在则到时才公开")
    topic = models.CharField("主题分类", max_length=60, blank=True)
    column = models.CharField("专栏", max_length=60, blank=True, help_text="如 优化营商环境、疫情防控")
    genre = models.CharField("体裁", max_length=30, choices=Genre.choices)
    article20_item = models.PositiveSmallIntegerField("条例第二十条事项", choices=Article20Item.choices)
    catalogue_domain = models.CharField("标准目录领域", max_length=30, choices=CatalogueDomain.choices, blank=True)
    catalogue_matter = models.CharField("标准目录事项", max_length=100, blank=True)
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices, blank=True)
    body = models.TextField("正文", blank=True)
    interprets = models.ForeignKey("self", verbose_name="所解读的政策", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="interpretations")
    state = models.CharField("环节", max_length=20, choices=State.choices, default=State.DRAFT)
    revision_of = models.ForeignKey("self", verbose_name="所更正的信息", null=True, blank=True, editable=False,
                                    on_delete=models.CASCADE, related_name="revisions",
                                    help_text="更正已发布信息时的新版本：经审核、保密审查、签发后替换原信息的内容")
    withdrawn_reason = models.TextField("撤回理由", blank=True)
    corrected_at = models.DateTimeField("最近更正时间", null=True, blank=True)
    in_search_index = models.BooleanField("已进入检索", default=False, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "主动公开信息"
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["state", "publish_at"], name="publication_visible")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.validity and self.genre not in GENRES_WITH_VALIDITY:
            raise ValidationError({"validity": "只有规章和行政规范性文件标注有效性"})
        if self.interprets_id and self.interprets_id == self.pk:
            raise ValidationError({"interprets": "解读不能指向自身"})
        if self.written_on and self.formed_on and self.formed_on < self.written_on:
            raise ValidationError({"formed_on": "形成或者变更日期不能早于成文日期"})

    def get_absolute_url(self) -> str:
        return f"/portal/publications/{self.pk}/"

    @property
    def year(self) -> int | None:
        return self.published_on.year if self.published_on else None

    def is_visible(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.PUBLISHED and self.publish_at is not None and self.publish_at <= now

    @property
    def is_revision(self) -> bool:
        return self.revision_of_id is not None

    def disclosure_due_on(self) -> date | None:
        """The last day to publish under 条例第二十六条; None where the calendar has no schedule yet
        (the publication pages print no 预计 mark, so no provisional year is counted here).

        A correction has no such day of its own: the item it corrects was published already.
        """
        if self.is_revision:
            return None
        try:
            return site_calendar(provisional=False).add_working_days(self.formed_on, DISCLOSURE_WORKING_DAYS)
        except WorkdaysError:
            return None

    def is_late(self, today: date | None = None) -> bool:
        """Published after the due day, or still unpublished past it (derived, never stored)."""
        due = self.disclosure_due_on()
        if due is None:
            return False
        if self.state == self.State.PUBLISHED and self.published_on:
            return self.published_on > due
        if self.state == self.State.WITHDRAWN:
            return False
        return (today or timezone.localdate()) > due


class ValidityChange(models.Model):
    """The dated 有效性 history of a 规章 or 行政规范性文件."""

    publication = models.ForeignKey(Publication, verbose_name="信息", on_delete=models.CASCADE,
                                    related_name="validity_changes")
    validity = models.CharField("有效性", max_length=20, choices=Validity.choices)
    effective_on = models.DateField("生效日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "有效性变化"
        ordering = ["effective_on", "pk"]

    def __str__(self) -> str:
        return f"{self.effective_on} {self.get_validity_display()}"


class PublicationEvent(models.Model):
    """One step of the review trail, with the comment of the user who took it."""

    publication = models.ForeignKey(Publication, verbose_name="信息", on_delete=models.CASCADE,
                                    related_name="events")
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原环节", max_length=20, blank=True)
    to_state = models.CharField("新环节", max_length=20)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField("意见", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.publication} · {self.action}"


class Attachment(models.Model):
    """A checked attachment; the bytes live in the database so both databases behave alike."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word（DOCX）"
        XLSX = "xlsx", "Excel（XLSX）"
        PNG = "png", "PNG 图片"
        JPEG = "jpeg", "JPEG 图片"

    publication = models.ForeignKey(Publication, verbose_name="信息", on_delete=models.CASCADE,
                                    related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField("大小（字节）")
    content = models.BinaryField("内容")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
