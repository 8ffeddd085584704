from django.core.management.base import BaseCommand

from gongkai.web.disclosure.search import search_rebuild


class Command(BaseCommand):
    help = "重建主动公开信息的全文检索索引（只收录已发布且已到发布时间的信息）"

    def handle(self, *args, **options):
        count = search_rebuild()
        self.stdout.write(f"已索引 {count} 条已公开信息")
