from django.contrib import admin

from gongkai.web.admin_scoping import AgencyScopedAdmin

from .models import RegulatoryDocument, YearlyFigures


@admin.register(RegulatoryDocument)
class RegulatoryDocumentAdmin(AgencyScopedAdmin):
    list_display = ["title", "agency", "kind", "issued_on", "repealed_on"]
    list_filter = ["kind"]


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(AgencyScopedAdmin):
    list_display = ["agency", "year", "licensing_decisions", "penalty_decisions", "coercion_decisions",
                    "fees_amount_10k_yuan"]
