from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "gongkai.web.charts"
    label = "charts"
    verbose_name = "图表"
