"""Admin building blocks: every admin view goes through the agency gate, or is for superusers only.

``AgencyScopedAdmin`` answers each way the admin reaches a record — changelist, change,
delete, history list, a history version (simple-history's ``history_form_view``),
autocomplete, foreign-key choices, list filters — from ``agencies.selectors``: the rows come from the
scoped queryset, and every object the admin is about to show is checked against the
visible agencies again (a history version is read from the history table, not from
``get_queryset``).  ``SuperuserOnlyMixin`` marks a model that belongs to no agency.
``check_admin_scoping`` refuses at startup a ModelAdmin that is neither.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core import checks
from django.http import Http404

from gongkai.web.agencies.selectors import agencies_visible_to, visible_agency_ids


class AgencyScopedAdmin(admin.ModelAdmin):
    # The path from the model to its agency, as in a queryset filter: "agency", "application__agency",
    # or "id" for the agency itself. It must exist on the history model too (simple-history copies fields).
    agency_field = "agency"

    def scope(self, request, queryset):
        """``queryset`` (of the model or of its history) narrowed to the agencies the user may see."""
        return queryset.filter(**{f"{self.agency_field}__in": agencies_visible_to(request.user)})

    def in_scope(self, request, obj) -> bool:
        """Whether the user may see ``obj``, a live row or a historical version's instance."""
        if obj is None:
            return True
        visible = visible_agency_ids(request.user)
        return visible is None or self.agency_id_of(obj) in visible

    def agency_id_of(self, obj) -> int | None:
        *hops, last = self.agency_field.split("__")
        for hop in hops:
            obj = getattr(obj, hop, None)
            if obj is None:
                return None
        return obj.pk if last in ("id", "pk") else getattr(obj, f"{last}_id", None)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        """simple-history's history list: only the versions in the user's agencies."""
        return self.scope(request, super().get_history_queryset(request, history_manager, pk_name, object_id))

    def get_list_filter(self, request):
        """A filter on a relation offers only the related rows of the scoped list (Django's default: all rows)."""
        return [(name, admin.RelatedOnlyFieldListFilter)
                if isinstance(name, str) and get_fields_from_path(self.model, name)[-1].is_relation else name
                for name in super().get_list_filter(request)]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "doesn't exist"; outside the user's scope the pages and
        # the API answer 404, and so does the admin (change, delete and history views).
        raise Http404(f"{opts.verbose_name}不存在或不在您可查看的范围内")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices of a related model shown by a scoped admin (the agency, an application) are scoped too."""
        related_admin = self.admin_site._registry.get(db_field.remote_field.model)
        if isinstance(related_admin, AgencyScopedAdmin):
            kwargs.setdefault("queryset", related_admin.get_queryset(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SuperuserOnlyMixin:
    """A model of the whole site (users, groups, login locks): only superusers see it in the admin."""

    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request, *args):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)


class SuperuserOnlyAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdminMixin:
    """Records that change only through the services (or never): shown, not edited."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@checks.register(checks.Tags.admin)
def check_admin_scoping(app_configs=None, sites=None, **kwargs) -> list[checks.Error]:
    """Every registered ModelAdmin is scoped by agency or declared superuser-only."""
    errors = []
    for site in sites or [admin.site]:
        for model, model_admin in site._registry.items():
            if not isinstance(model_admin, AgencyScopedAdmin | SuperuserOnlyMixin):
                errors.append(checks.Error(
                    f"{model._meta.label} is registered in the admin without agency scoping",
                    hint="Derive its ModelAdmin from gongkai.web.admin_scoping.AgencyScopedAdmin (with agency_field) "
                         "or SuperuserOnlyMixin.",
                    obj=model_admin, id="gongkai.E001"))
    return errors
