from django.apps import AppConfig


class Config(AppConfig):
    name = "gongkai.web.portal"
    label = "portal"
    verbose_name = "政府信息公开专栏"
