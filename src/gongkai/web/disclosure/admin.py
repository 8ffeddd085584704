from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web import admin_events
from gongkai.web.admin_scoping import AgencyScopedAdmin, ReadOnlyAdminMixin

from .models import AgencyDisclosure, Attachment, DisclosureRole, Publication, PublicationEvent, ValidityChange


class EventInline(admin_events.EventInline):
    model = PublicationEvent
    states = Publication.State
    fields = readonly_fields = ["created_at", "action_shown", "from_state_shown", "to_state_shown", "acting_user",
                                "comment"]

    def action_labels(self) -> dict[str, str]:
        from gongkai.web.staff.publications import EVENT_LABELS

        return EVENT_LABELS


class ValidityInline(admin.TabularInline):
    model = ValidityChange
    extra = 0
    fields = readonly_fields = ["effective_on", "validity", "note", "recorded_by"]
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = readonly_fields = ["name", "kind", "size", "uploaded_at"]
    can_delete = False


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    """Read-only: every change goes through the services (review steps, 更正, 撤回)."""

    list_display = ["index_number", "title", "agency", "genre", "state", "published_on", "is_late_display"]
    list_filter = ["state", "genre", "article20_item", "catalogue_domain"]
    search_fields = ["title", "doc_number", "index_number"]
    inlines = [EventInline, ValidityInline, AttachmentInline]

    @admin.display(description="逾期公开", boolean=True)
    def is_late_display(self, obj):
        return obj.is_late()


@admin.register(AgencyDisclosure)
class AgencyDisclosureAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["agency", "agency_code", "index_pattern"]


@admin.register(DisclosureRole)
class DisclosureRoleAdmin(AgencyScopedAdmin):
    list_display = ["user", "agency", "role"]
