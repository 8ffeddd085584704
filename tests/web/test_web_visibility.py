"""One access gate: a street office sees its own cases; a supervisor sees the subtree."""

from tests.web.factories import AgencyFactory, MembershipFactory

from gongkai.web.agencies.selectors import agencies_visible_to
from gongkai.web.cases.selectors import cases_visible_to


class TestVisibility:
    def test_it_scopes_a_street_user_to_the_street(self, world):
        east = world.register().application
        west = world.register(agency=world.other_street, user=world.other_intake).application
        assert list(cases_visible_to(world.users["handler"])) == [east]
        assert list(cases_visible_to(world.other_intake)) == [west]
        assert set(agencies_visible_to(world.users["handler"])) == {world.street}

    def test_it_shows_a_supervisor_the_whole_subtree(self, world):
        grandchild = AgencyFactory(full_name="测试区东街道某社区", parent=world.street)
        unrelated = AgencyFactory(full_name="另一区人民政府")
        east = world.register().application
        west = world.register(agency=world.other_street, user=world.other_intake).application
        assert set(cases_visible_to(world.supervisor)) == {east, west}
        assert set(agencies_visible_to(world.supervisor)) == {world.district, world.street, world.other_street,
                                                              grandchild}
        assert unrelated not in agencies_visible_to(world.supervisor)

    def test_it_shows_nothing_to_a_user_without_membership_or_inactive(self, world, django_user_model):
        world.register()
        nobody = django_user_model.objects.create_user("nobody", password="x")
        assert not cases_visible_to(nobody).exists()
        handler = world.users["handler"]
        handler.is_active = False
        assert not cases_visible_to(handler).exists()

    def test_it_scopes_the_admin_list(self, world, client):
        world.register()
        world.register(agency=world.other_street, user=world.other_intake)
        user = world.users["handler"]
        user.is_staff = True
        user.save()
        from django.contrib.auth.models import Permission
        user.user_permissions.add(Permission.objects.get(codename="view_application"))
        client.force_login(user)
        response = client.get("/admin/cases/application/")
        assert response.status_code == 200
        assert response.context["cl"].result_count == 1

    def test_it_does_not_let_a_supervisor_membership_leak_upwards(self, world):
        street_supervisor = MembershipFactory(agency=world.street, role="supervisor").user
        assert set(agencies_visible_to(street_supervisor)) == {world.street}
