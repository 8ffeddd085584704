from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.web.cases"
    label = "cases"
    verbose_name = "依申请公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import rules  # noqa: F401 — registers the step permissions
