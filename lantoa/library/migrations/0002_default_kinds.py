from django.db import migrations

from lantoa.library.defaults import KINDS, load_defaults


def forwards(apps, schema_editor):
    load_defaults(apps.get_model("library", "DocumentKind"))


def backwards(apps, schema_editor):
    apps.get_model("library", "DocumentKind").objects.filter(code__in=[code for code, *_ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0001_documents_files_print_runs_reads")]

    operations = [migrations.RunPython(forwards, backwards)]
