from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "gongkai.web.reminders"
    verbose_name = "期限提醒"
