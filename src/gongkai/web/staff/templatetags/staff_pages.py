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
