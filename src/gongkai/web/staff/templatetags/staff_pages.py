"""``{% query_without_page as query %}``: the list's filters as they are in the address, for the pager's links."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    return params.urlencode()


@register.simple_tag
def unread_reminders(user) -> int:
    """How many of the user's reminders are unread (for the navigation bar)."""
    from gongkai.web.reminders.models import Message

    return Message.objects.filter(recipient=user, read_at__isnull=True).count() if user.is_authenticated else 0


@register.filter
def person(user) -> str:
    """How staff pages name who acted: the person's name, else their login; the online form's system
    account (``online-intake``) is shown as what it is, never by its internal name."""
    from gongkai.web.public.models import ONLINE_INTAKE_USERNAME

    if user is None:
        return ""
    if user.get_username() == ONLINE_INTAKE_USERNAME:
        return ONLINE_INTAKE_LABEL
    return user.get_full_name() or user.get_username()


ONLINE_INTAKE_LABEL = "网上申请平台（系统自动登记）"
