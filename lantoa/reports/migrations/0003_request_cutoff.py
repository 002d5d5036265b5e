"""A data request's own data cut-off (ngày chốt số liệu). Existing requests take their period's
cut-off if it had one, else the period's end, never after their deadline."""

from django.db import migrations, models


def fill_cutoff(apps, schema_editor):
    DataRequest = apps.get_model("reports", "DataRequest")
    for request in DataRequest.objects.select_related("period").filter(cutoff__isnull=True).iterator():
        day = request.period.cutoff or request.period.end
        request.cutoff = min(day, request.deadline)
        request.save(update_fields=["cutoff"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_documents"),
        ("core", "0002_periods_and_reported_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="datarequest",
            name="cutoff",
            field=models.DateField(
                null=True, help_text="Records dated after this day are not counted.", verbose_name="data cut-off"
            ),
        ),
        migrations.RunPython(fill_cutoff, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="datarequest",
            name="cutoff",
            field=models.DateField(
                help_text="Records dated after this day are not counted.", verbose_name="data cut-off"
            ),
        ),
        migrations.AddConstraint(
            model_name="datarequest",
            constraint=models.CheckConstraint(
                condition=models.Q(("deadline__gte", models.F("cutoff"))), name="reports_request_cutoff_by_deadline"
            ),
        ),
    ]
