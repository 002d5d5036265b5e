import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def fill(apps, schema_editor):
    """Existing rows count where they are today: a task for its owner unit, or for its programme's
    unit when a role owns it; a follow-up for its owner unit."""
    ProgrammeTask = apps.get_model("plans", "ProgrammeTask")
    FollowUp = apps.get_model("plans", "FollowUp")
    ProgrammeTask.objects.filter(owner_unit__isnull=False).update(counted_unit=F("owner_unit"))
    for task in ProgrammeTask.objects.filter(owner_unit__isnull=True).select_related("programme"):
        task.counted_unit_id = task.programme.unit_id
        task.save(update_fields=["counted_unit"])
    FollowUp.objects.update(origin_unit=F("owner_unit"))


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_restructuring_events_successions_records_since"),
        ("plans", "0003_recommendation_from_an_inspection"),
    ]

    operations = [
        migrations.AddField(
            model_name="programmetask",
            name="counted_unit",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.unit",
                verbose_name="counted for",
            ),
        ),
        migrations.AddField(
            model_name="followup",
            name="origin_unit",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.unit",
                verbose_name="owner unit when concluded",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programmetask",
            name="counted_unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.unit", verbose_name="counted for"
            ),
        ),
        migrations.AlterField(
            model_name="followup",
            name="origin_unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="org.unit",
                verbose_name="owner unit when concluded",
            ),
        ),
    ]
