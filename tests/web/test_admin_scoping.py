"""Every admin view of every registered model keeps agencies apart, the history pages included.

The walk iterates ``admin.site._registry``: a model registered later is walked as well, and
``test_the_estate_covers_every_registered_model`` asks for a record of it in the estate.
"""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from tests.web.admin_estate import admin_record_urls, admin_viewer, build_estate, history_ids

NOT_SHOWN = (403, 404)


@pytest.fixture
def estate(world):
    return build_estate(world)


def _foreign(model, estate):
    return model._default_manager.exclude(pk__in=estate.outsider_own.get(model, set()))


def test_the_estate_covers_every_registered_model(estate):
    missing = [model._meta.label for model in admin.site._registry if not _foreign(model, estate).exists()]
    assert missing == [], f"admin_estate.build_estate has no record of another agency for {missing}"


@pytest.mark.slow
def test_an_outsider_sees_no_record_of_another_agency_in_any_admin_view(estate):
    client = Client()
    client.force_login(estate.outsider)
    leaks = []
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        foreign = set(_foreign(model, estate).values_list("pk", flat=True))
        listing = client.get(reverse(f"{info}_changelist"))
        if listing.status_code == 200:
            listed = {obj.pk for obj in listing.context["cl"].result_list}
            if listed & foreign:
                leaks.append((model._meta.label, "changelist", sorted(listed & foreign)))
        elif listing.status_code not in NOT_SHOWN:
            leaks.append((model._meta.label, "changelist", listing.status_code))
        for pk in foreign:
            for url in admin_record_urls(model, pk):
                response = client.get(url)
                if response.status_code not in NOT_SHOWN:
                    leaks.append((model._meta.label, url, response.status_code))
    assert leaks == [], "\n".join(map(str, leaks))


def test_autocomplete_offers_no_record_of_another_agency(estate):
    client = Client()
    client.force_login(estate.outsider)
    leaks = []
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if not (field.is_relation and field.many_to_one or field.one_to_one) or field.auto_created:
                continue
            target = field.remote_field.model
            if target not in admin.site._registry:
                continue
            response = client.get(reverse("admin:autocomplete"), {
                "app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field.name,
                "term": ""})
            if response.status_code in NOT_SHOWN:
                continue
            offered = {int(item["id"]) for item in response.json()["results"]}
            leaked = offered & set(_foreign(target, estate).values_list("pk", flat=True))
            if response.status_code != 200 or leaked:
                leaks.append((model._meta.label, field.name, response.status_code, sorted(leaked)))
    assert leaks == [], "\n".join(map(str, leaks))


def test_the_agency_admin_walks_its_own_history_pages(world, estate):
    """The gate lets the agency's own staff through: history list and a version page answer 200."""
    application = estate.application
    client = Client()
    client.force_login(admin_viewer(world.users["agency_admin"]))
    history = client.get(reverse("admin:cases_application_history", args=[application.pk]))
    assert history.status_code == 200
    versions = history_ids(type(application), application.pk)
    assert len(versions) >= 3
    version = client.get(reverse("admin:cases_application_simple_history", args=[application.pk, versions[-1]]))
    assert version.status_code == 200
    assert application.number in version.content.decode()


def test_a_model_admin_neither_scoped_nor_superuser_only_fails_the_startup_check():
    from django.contrib.admin import AdminSite, ModelAdmin

    from gongkai.web.admin_scoping import AgencyScopedAdmin, SuperuserOnlyAdmin, check_admin_scoping
    from gongkai.web.agencies.models import AttemptCounter
    from gongkai.web.cases.models import Application, ReplyTemplate

    assert check_admin_scoping() == []
    site = AdminSite(name="probe")
    site.register(Application, ModelAdmin)
    site.register(ReplyTemplate, AgencyScopedAdmin)
    site.register(AttemptCounter, SuperuserOnlyAdmin)
    errors = check_admin_scoping(sites=[site])
    assert [error.id for error in errors] == ["gongkai.E001"]
    assert "cases.Application" in errors[0].msg


def test_a_filter_on_a_relation_offers_only_the_scoped_rows(world, estate):
    """``list_filter = ["agency"]`` on a scoped admin lists the user's agencies, not every agency's name."""
    from django.contrib.admin import AdminSite
    from django.test import RequestFactory

    from gongkai.web.admin_scoping import AgencyScopedAdmin
    from gongkai.web.cases.models import Application

    class FilteredByAgency(AgencyScopedAdmin):
        list_filter = ["agency", "state"]

    world.register(agency=world.other_street, user=world.other_intake)
    north = estate.outsider.memberships.first().agency
    world.register(agency=north, user=estate.outsider)  # a case outside the district supervisor's subtree
    model_admin = FilteredByAgency(Application, AdminSite(name="probe"))
    request = RequestFactory().get("/")
    request.user = admin_viewer(world.supervisor)
    changelist = model_admin.get_changelist_instance(request)
    agency_filter = next(spec for spec in changelist.filter_specs if spec.field_path == "agency")
    offered = {str(label) for _, label in agency_filter.lookup_choices}
    assert offered == {world.street.full_name, world.other_street.full_name}
