from django.db import migrations

from lantoa.core.kinds import seed_kinds, unseed_kinds


def forwards(apps, schema_editor):
    seed_kinds(apps.get_model("library", "DocumentKind"))


def backwards(apps, schema_editor):
    unseed_kinds(apps.get_model("library", "DocumentKind"))


class Migration(migrations.Migration):
    dependencies = [("library", "0001_documents_files_print_runs_reads")]

    operations = [migrations.RunPython(forwards, backwards)]
