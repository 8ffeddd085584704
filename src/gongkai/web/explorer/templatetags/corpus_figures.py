"""Figures as the explorer prints them: 1,234 (— when unstated), 42.1%（1,234/2,931件）."""

from django import template

from gongkai.web.explorer.figures import figure_text, rate_text

register = template.Library()


@register.filter
def number(value) -> str:
    return figure_text(value)


@register.filter
def rate(count, of) -> str:
    return rate_text(count, of)


@register.filter
def label_of(key, labels) -> str:
    return labels.get(key, "")
