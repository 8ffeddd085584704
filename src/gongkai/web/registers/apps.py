from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.web.registers"
    label = "registers"
    verbose_name = "登记簿（表二）"
    default_auto_field = "django.db.models.BigAutoField"
