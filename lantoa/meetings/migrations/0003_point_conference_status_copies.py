"""Each site keeps whether its conference took place and was online or hybrid, as it keeps the
conference's date (``held_on``): the rollup reads the sites without joining their conferences
(models.BridgePoint). Filled here from the conferences; the services keep them in step."""

from django.db import migrations, models

RELAYED_FORMATS = ["online", "hybrid"]


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    BridgePoint = apps.get_model("meetings", "BridgePoint")
    BridgePoint.objects.filter(conference__status="held").update(conference_held=True)
    BridgePoint.objects.filter(conference__format__in=RELAYED_FORMATS).update(conference_online=True)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_default_kinds")]

    operations = [
        migrations.AddField(
            model_name="bridgepoint",
            name="conference_held",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="bridgepoint",
            name="conference_online",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
