import factory
from django.contrib.auth import get_user_model

from gongkai.web.agencies.models import Agency, Membership


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    full_name = factory.Sequence(lambda n: f"测试区第{n}街道办事处")
    short_name = factory.LazyAttribute(lambda o: o.full_name[:8])
    kind = Agency.Kind.STREET


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or "correct-horse-battery")
        if create:
            user.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Membership.Role.HANDLER


def figures_stated(agency, year, **values):
    """Table 二's hand-entered figures of a year, stated (0 unless given): a report with blank cells is not published."""
    from gongkai.web.registers.models import YearlyFigures

    defaults = {"licensing_decisions": 0, "penalty_decisions": 0, "coercion_decisions": 0, "fees_amount_10k_yuan": 0}
    return YearlyFigures.objects.update_or_create(agency=agency, year=year, defaults={**defaults, **values})[0]
