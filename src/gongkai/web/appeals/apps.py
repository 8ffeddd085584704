from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.web.appeals"
    label = "appeals"
    verbose_name = "复议与诉讼"
    default_auto_field = "django.db.models.BigAutoField"
