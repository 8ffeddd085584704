"""Inputs of table 二: the register of 规章 and 行政规范性文件, and yearly decision counts and fees."""

from decimal import Decimal

from django.db import models
from simple_history.models import HistoricalRecords


class RegulatoryDocument(models.Model):
    class Kind(models.TextChoices):
        RULE = "rules", "规章"
        NORMATIVE_DOCUMENT = "normative_documents", "行政规范性文件"

    agency = models.ForeignKey("agencies.Agency", verbose_name="制发机构", on_delete=models.PROTECT,
                               related_name="regulatory_documents")
    kind = models.CharField("类别", max_length=30, choices=Kind.choices)
    title = models.CharField("名称", max_length=300)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("制发日期")
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    # Set when the row is kept in step with a published 规章/行政规范性文件 and its 有效性
    # history (``services.regulatory_document_sync``); such rows are not edited by hand.
    publication = models.OneToOneField("disclosure.Publication", verbose_name="对应的主动公开信息", null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="regulatory_document")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "规章和行政规范性文件"
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(repealed_on__isnull=True) | models.Q(repealed_on__gte=models.F("issued_on")),
                                   name="document_repealed_after_issued"),
        ]

    def __str__(self) -> str:
        return self.title


class YearlyFigures(models.Model):
    """Counts entered by hand (or imported) per agency and year; a blank figure is unstated (null)."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机构", on_delete=models.PROTECT,
                               related_name="yearly_figures")
    year = models.PositiveSmallIntegerField("年度")
    licensing_decisions = models.PositiveIntegerField("行政许可本年处理决定数量", null=True, blank=True)
    penalty_decisions = models.PositiveIntegerField("行政处罚本年处理决定数量", null=True, blank=True)
    coercion_decisions = models.PositiveIntegerField("行政强制本年处理决定数量", null=True, blank=True)
    fees_amount_10k_yuan = models.DecimalField("行政事业性收费本年收费金额（万元）", max_digits=14, decimal_places=4,
                                               null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "年度数据（表二）"
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="yearly_figures_unique")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    def fees_as_number(self) -> float | None:
        amount = self.fees_amount_10k_yuan
        return None if amount is None else float(Decimal(amount))
