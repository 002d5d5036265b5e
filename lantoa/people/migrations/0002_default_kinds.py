from django.db import migrations

from lantoa.core.kinds import seed_kinds, unseed_kinds

MODELS = ("NetworkRoleKind", "GroupKind", "ActivityKind")


def forwards(apps, schema_editor):
    for name in MODELS:
        seed_kinds(apps.get_model("people", name))


def backwards(apps, schema_editor):
    for name in reversed(MODELS):
        unseed_kinds(apps.get_model("people", name))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_persons_roles_groups_activities")]

    operations = [migrations.RunPython(forwards, backwards)]
