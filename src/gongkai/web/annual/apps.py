from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.web.annual"
    label = "annual"
    verbose_name = "年度报告"
    default_auto_field = "django.db.models.BigAutoField"
