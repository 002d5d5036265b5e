from django.db import migrations

from lantoa.core.kinds import seed_kinds, unseed_kinds


def forwards(apps, schema_editor):
    seed_kinds(apps.get_model("meetings", "ConferenceKind"))


def backwards(apps, schema_editor):
    unseed_kinds(apps.get_model("meetings", "ConferenceKind"))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_conferences_sites_attendance")]

    operations = [migrations.RunPython(forwards, backwards)]
