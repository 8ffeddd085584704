from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.web.agencies"
    label = "agencies"
    verbose_name = "机构与人员"
    default_auto_field = "django.db.models.BigAutoField"
