from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models.constants import LOOKUP_SEP
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from gongkai.web import admin_events
from gongkai.web.admin_scoping import AgencyScopedAdmin
from gongkai.web.staff.personal_data import PERSONAL_DATA_MASKS, masked_personal_data, may_see_personal_data
from gongkai.workdays import WorkdaysError

from .letters.body import PLACEHOLDERS, default_body
from .models import Application, ApplicationEvent, Consultation, FeeNotice, ReplyTemplate


class ConsultationInline(admin.TabularInline):
    model = Consultation
    extra = 0
    readonly_fields = ["party", "start_on", "end_on"]
    can_delete = False


class EventInline(admin_events.EventInline):
    model = ApplicationEvent
    states = Application.State
    fields = readonly_fields = ["at", "action_shown", "from_state_shown", "to_state_shown", "acting_user", "message"]

    def action_labels(self) -> dict[str, str]:
        from gongkai.web.staff.steps import STEPS

        return {"register": "登记申请", **{key: step.label for key, step in STEPS.items()}}


class FeeNoticeInline(admin.TabularInline):
    """Issued, paid and lapsed only through ``cases/fees.py``."""

    model = FeeNotice
    extra = 0
    fields = readonly_fields = ["basis", "amount", "explanation", "issued_on", "due_on", "paid_on", "lapsed_on",
                                "issued_by"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MaskedHistoryChanges(HistoricalRecordContextHelper):
    """The history list's "old → new" of a personal-data field shows the masks, as everywhere else."""

    def stringify_delta_change_values(self, change, old, new):
        mask = PERSONAL_DATA_MASKS.get(change.field)
        if mask is not None:
            return mask(old or ""), mask(new or "")
        return super().stringify_delta_change_values(change, old, new)


@admin.register(Application)
class ApplicationAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    """Read-mostly: state and the statutory dates change only through the services.

    The applicant's personal data is never a form field here (in the change view and in every
    history version): it is shown masked, and those handling the case get a link to the staff
    page that unmasks it and records the view (``staff.personal_data``).
    """

    list_display = ["number", "agency", "applicant_type", "channel", "received_on", "state", "outcome", "closed_on",
                    "due_on", "registered_late"]
    list_filter = ["state", "channel", "applicant_type", "outcome"]
    search_fields = ["number"]
    readonly_fields = ["number", "state", "correction_requested_on", "correction_received_on", "extension_days",
                       "extension_approved_by", "extension_approved_on", "outcome", "closed_on", "registered_at",
                       "due_explanation", "personal_data"]
    exclude = ["query_code_hash", *PERSONAL_DATA_MASKS]
    inlines = [ConsultationInline, EventInline, FeeNoticeInline]
    change_form_template = "cases/admin/application_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, unquote(object_id))
        if application is not None and may_see_personal_data(request.user, application):
            url = reverse("staff:case_detail", args=[application.pk]) + "?personal=1"
            extra_context = {**(extra_context or {}), "personal_data_url": url}
        return super().change_view(request, object_id, form_url, extra_context)

    def lookup_allowed(self, lookup, value, request):
        # The list's counts for ?applicant_id_number__startswith=… would reveal the number digit by digit.
        if lookup.split(LOOKUP_SEP, 1)[0] in PERSONAL_DATA_MASKS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedHistoryChanges(self.model, historical_record)

    @admin.display(description="申请人个人信息（已遮蔽）")
    def personal_data(self, obj):
        masked = masked_personal_data(obj)
        labels = [self.model._meta.get_field(field).verbose_name for field in PERSONAL_DATA_MASKS]
        return format_html_join("；", "{}：{}", ((label, value or "（未填写）")
                                                for label, value in zip(labels, masked.values(), strict=True)))

    def has_add_permission(self, request):
        return False  # registration goes through application_register (number, query code, event)

    @admin.display(description="答复期限")
    def due_on(self, obj):
        try:
            deadline = obj.reply_deadline(today=timezone.localdate())
        except WorkdaysError as error:
            return f"无法计算（{error}）"
        return f"预计 {deadline.due:%Y-%m-%d}" if deadline.provisional else deadline.due

    @admin.display(description="登记逾期", boolean=True)
    def registered_late(self, obj):
        return obj.is_registered_late()

    @admin.display(description="期限计算过程")
    def due_explanation(self, obj):
        try:
            return obj.reply_deadline(today=timezone.localdate()).explain()
        except WorkdaysError as error:
            return f"无法计算答复期限：{error}"


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["agency", "kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12, "cols": 100})}
        help_texts = {"body": format_html(
            "每一行为一段；可以使用 {{% if 占位符 %}}…{{% endif %}}。可用的占位符：<ul>{}</ul>",
            format_html_join("", "<li><code>{{{{ {} }}}}</code>：{}</li>", PLACEHOLDERS.items()))}


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    """An agency's own wording of a letter; saving renders it against sample data first (``ReplyTemplate.clean``)."""

    form = ReplyTemplateForm
    list_display = ["agency", "kind", "updated_at"]
    list_filter = ["kind"]
    readonly_fields = ["default_wording"]

    @admin.display(description="系统默认正文（供参考）")
    def default_wording(self, obj):
        if obj is None or not obj.kind:
            return "保存后显示该类文书的默认正文"
        return format_html("<pre>{}</pre>", default_body(obj.kind))
