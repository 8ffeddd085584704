from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "gongkai.web.transfer"
    label = "transfer"
    verbose_name = "备份、导出与导入"
