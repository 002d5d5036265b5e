from django.db import migrations

from lantoa.meetings.defaults import KINDS, load_defaults


def forwards(apps, schema_editor):
    load_defaults(apps.get_model("meetings", "ConferenceKind"))


def backwards(apps, schema_editor):
    apps.get_model("meetings", "ConferenceKind").objects.filter(code__in=[code for code, *_ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_conferences_sites_attendance")]

    operations = [migrations.RunPython(forwards, backwards)]
