"""Numbers that must never repeat: one counter row per agency and year, locked while advanced.

Application numbers (申请编号) and 索引号 both come from here.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F


class AgencyYearCounter(models.Model):
    """The last number given in an agency's year. Concrete models add their unique constraint."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


def counter_advance(model: type[AgencyYearCounter], *, agency, year: int, count: int = 1) -> int:
    """Advance the agency's counter for ``year`` by ``count`` and return the last number taken.

    The row is created on first use and updated under ``select_for_update``, so concurrent
    callers each get their own numbers.
    """
    with transaction.atomic():
        counter, _ = model.objects.get_or_create(agency=agency, year=year)
        model.objects.select_for_update().filter(pk=counter.pk).update(last_number=F("last_number") + count)
        counter.refresh_from_db(fields=["last_number"])
    return counter.last_number
