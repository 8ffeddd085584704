"""``{% case_letters application user as letters %}``: the letters a user may download on the case page."""

from django import template

from ..letters import letter_links

register = template.Library()


@register.simple_tag
def case_letters(application, user):
    return letter_links(application, user)
