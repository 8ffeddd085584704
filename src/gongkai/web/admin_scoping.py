"""Admin classes whose lists only show rows of the agencies the user may see."""

from django.contrib import admin

from gongkai.web.agencies.selectors import agencies_visible_to


class AgencyScopedAdmin(admin.ModelAdmin):
    agency_field = "agency"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(**{f"{self.agency_field}__in": agencies_visible_to(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
