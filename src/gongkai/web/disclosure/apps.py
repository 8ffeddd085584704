from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.web.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"
    default_auto_field = "django.db.models.BigAutoField"
