from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gongkai.web.admin_scoping import AgencyScopedAdmin, ReadOnlyAdminMixin

from .models import RegulatoryDocument, YearlyFigures

# Shown, not edited: the register changes through ``registers.services`` (staff pages, import,
# and the sync from publications), which check roles and keep linked rows in step.


@admin.register(RegulatoryDocument)
class RegulatoryDocumentAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "agency", "kind", "document_number", "issued_on", "repealed_on", "publication"]
    list_filter = ["kind"]


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(ReadOnlyAdminMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    list_display = ["agency", "year", "licensing_decisions", "penalty_decisions", "coercion_decisions",
                    "fees_amount_10k_yuan"]
