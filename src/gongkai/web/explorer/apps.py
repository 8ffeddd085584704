from django.apps import AppConfig


class ExplorerConfig(AppConfig):
    name = "gongkai.web.explorer"
    label = "explorer"
    verbose_name = "年度报告语料库"
