from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "gongkai.web.staff"
    label = "staff"
    verbose_name = "工作人员办理页面"
