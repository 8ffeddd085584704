from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "gongkai.web.schedules"
    verbose_name = "节假日安排"
