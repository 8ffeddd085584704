"""Fixtures of the web tests: a small district with two street offices and a user per role."""

from dataclasses import dataclass
from datetime import date

import pytest
from tests.web.factories import AgencyFactory, MembershipFactory, UserFactory

from gongkai.web.agencies.models import Agency, Membership
from gongkai.web.cases.services import application_register

Role = Membership.Role


@pytest.fixture(autouse=True)
def _on_a_fixed_day(office_day):
    """Every page and service here reads "today": keep it the same day in every run."""


@dataclass
class World:
    district: Agency
    street: Agency
    other_street: Agency
    users: dict  # role value -> user with that role in ``street``
    supervisor: object
    other_intake: object

    def register(self, *, received_on=date(2024, 9, 27), applicant_type="natural_person", agency=None, user=None):
        return application_register(
            agency=agency or self.street, acting_user=user or self.users["intake"], applicant_type=applicant_type,
            applicant_name="张三", channel="in_person", received_on=received_on, information_sought="某路段拆迁补偿方案",
        )


@pytest.fixture
def world(db) -> World:
    district = AgencyFactory(full_name="测试区人民政府", kind=Agency.Kind.GOVERNMENT)
    street = AgencyFactory(full_name="测试区东街道办事处", parent=district)
    other_street = AgencyFactory(full_name="测试区西街道办事处", parent=district)
    users = {}
    for role in Role:
        if role == Role.SUPERVISOR:
            continue
        users[role.value] = MembershipFactory(user=UserFactory(username=f"east_{role.value}"), agency=street,
                                              role=role).user
    supervisor = MembershipFactory(user=UserFactory(username="district_supervisor"), agency=district,
                                   role=Role.SUPERVISOR).user
    other_intake = MembershipFactory(user=UserFactory(username="west_intake"), agency=other_street,
                                     role=Role.INTAKE).user
    return World(district, street, other_street, users, supervisor, other_intake)
