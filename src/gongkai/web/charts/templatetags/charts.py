"""``{% chart_scripts %}`` in a page's scripts block, ``{% chart c %}`` where a chart goes."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, json_script

register = template.Library()


@register.simple_tag
def chart_scripts() -> str:
    return format_html('<script src="{}" defer></script>\n<script src="{}" defer></script>',
                       static("gongkai/vendor/echarts.min.js"), static("gongkai/charts.js"))


@register.simple_tag
def chart(chart) -> str:
    option_id = f"{chart.element_id}-option"
    return format_html(
        '<figure class="chart" id="{}"><figcaption>{}</figcaption>'
        '<div class="chart-canvas" data-chart-option="{}" role="img" aria-label="{}"></div>{}</figure>',
        chart.element_id, chart.title, option_id, chart.title, json_script(chart.option, option_id))
