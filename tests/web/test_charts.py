"""The charts' script is served from the site's own static files, and a chart's option reaches
the page as data (json_script), never as markup or inline script."""

import json
import re

from django.contrib.staticfiles import finders
from django.template import Context, Template

from gongkai.web.charts.options import Point, Series, bar_chart, line_chart


def test_echarts_and_the_drawing_script_are_local_static_files():
    echarts = finders.find("gongkai/vendor/echarts.min.js")
    assert echarts, "scripts/build-assets has not copied ECharts from npm"
    with open(echarts, encoding="utf-8") as f:
        assert "echarts" in f.read(4096).lower()
    assert finders.find("gongkai/charts.js")


def test_chart_tag_writes_the_option_as_json_data_with_names_escaped():
    chart = bar_chart("overdue", "逾期件数", ["一月", "二月"],
                      [Series("</script><b>区教育局</b>", [Point(3, url="/staff/cases/?overdue=1"), 0])])
    html = Template("{% load charts %}{% chart c %}").render(Context({"c": chart}))
    assert "</script><b>" not in html
    data = re.search(r'<script id="chart-overdue-option" type="application/json">(.*?)</script>', html, re.S)
    option = json.loads(data.group(1))
    assert option["series"][0]["name"] == "</script><b>区教育局</b>"
    assert option["series"][0]["data"] == [{"value": 3, "url": "/staff/cases/?overdue=1"}, {"value": 0}]
    assert 'data-chart-option="chart-overdue-option"' in html
    assert "<figcaption>逾期件数</figcaption>" in html


def test_a_rate_keeps_its_counts_and_its_axis_is_percent():
    chart = line_chart("ontime", "按期答复率", ["2025", "2026"],
                       [Series("全区", [Point(95.0, count=19, of=20), Point(None)])], percent=True)
    series = chart.option["series"][0]
    assert series["data"][0] == {"value": 95.0, "count": 19, "of": 20}
    assert series["data"][1] == {"value": None}
    assert (chart.option["yAxis"]["min"], chart.option["yAxis"]["max"]) == (0, 100)


def test_chart_scripts_tag_loads_both_scripts_deferred():
    html = Template("{% load charts %}{% chart_scripts %}").render(Context())
    assert re.findall(r'<script src="([^"]+)" defer>', html) == ["/static/gongkai/vendor/echarts.min.js",
                                                                  "/static/gongkai/charts.js"]
