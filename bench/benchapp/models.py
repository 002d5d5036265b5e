"""A record table used only by the benchmarks: one row per thing that counts."""

from django.db import models


class BenchRecord(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    amount = models.PositiveIntegerField(default=1)
    person = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "unit"], name="benchrecord_day_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.amount}"
