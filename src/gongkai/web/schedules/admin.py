"""The site's holiday schedules: a superuser pastes the State Council's notice; what was read is shown."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from gongkai.web.admin_scoping import SuperuserOnlyMixin

from .models import HolidaySchedule
from .services import holiday_schedule_add, notice_read


class NoticeForm(forms.ModelForm):
    class Meta:
        model = HolidaySchedule
        fields = ["notice_text"]
        widgets = {"notice_text": forms.Textarea(attrs={"rows": 20, "cols": 100})}

    def clean_notice_text(self):
        text = self.cleaned_data["notice_text"]
        notice_read(text)  # refuses with the reason before anything is stored
        return text


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    """One calendar for the whole site, so only superusers add or remove a year; nobody edits one."""

    form = NoticeForm
    list_display = ["year", "added_by", "added_at"]
    readonly_fields = ["year", "summary", "schedule_text", "added_by", "added_at", "notice_text"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["notice_text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Only the last year: the calendar's years must stay contiguous, or no page could count.
        if not self._superuser(request):
            return False
        last = HolidaySchedule.objects.order_by("-year").values_list("year", flat=True).first()
        return obj is not None and obj.year == last

    def get_actions(self, request):
        return {}  # no bulk delete: one year at a time, the last

    def save_model(self, request, obj, form, change):
        try:
            saved = holiday_schedule_add(notice_text=form.cleaned_data["notice_text"], acting_user=request.user)
        except ValidationError as error:  # a year added meanwhile by someone else
            messages.error(request, "；".join(error.messages))
            return
        obj.pk, obj.year = saved.pk, saved.year
        messages.info(request, saved.summary)
