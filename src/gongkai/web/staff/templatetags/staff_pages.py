"""``{% query_without_page as query %}``: the list's filters as they are in the address, for the pager's links."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    return params.urlencode()
