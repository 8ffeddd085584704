"""The admin works on the demo data and shows only what the user may see; migrations are complete."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from gongkai.web.agencies.models import Agency
from gongkai.web.cases.models import Application
from gongkai.web.demo.load import ROOT_NAME, create_logins, load_seed_data


def test_migrations_match_the_models(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when a migration is missing
    assert "No changes detected" in out.getvalue()


def test_demo_logins_see_their_scope_in_the_admin(db, client):
    agencies, _ = load_seed_data()
    create_logins(agencies[0], Agency.objects.get(full_name=ROOT_NAME))
    users = get_user_model().objects

    client.force_login(users.get(username="demo_supervisor"))
    listing = client.get("/admin/cases/application/")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == Application.objects.count()

    client.force_login(users.get(username="demo_handler"))
    listing = client.get("/admin/cases/application/")
    assert listing.context["cl"].result_count == Application.objects.filter(agency=agencies[0]).count()
    application = Application.objects.filter(agency=agencies[0]).first()
    page = client.get(f"/admin/cases/application/{application.pk}/change/")
    assert page.status_code == 200 and "期限计算过程" in page.content.decode()
    other = Application.objects.exclude(agency=agencies[0]).first()
    assert client.get(f"/admin/cases/application/{other.pk}/change/").status_code == 404  # outside the scope
