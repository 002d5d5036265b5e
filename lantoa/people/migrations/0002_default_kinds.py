from django.db import migrations

from lantoa.people.defaults import ACTIVITY_KINDS, GROUP_KINDS, ROLES, load_defaults


def forwards(apps, schema_editor):
    load_defaults(
        apps.get_model("people", "NetworkRoleKind"),
        apps.get_model("people", "GroupKind"),
        apps.get_model("people", "ActivityKind"),
    )


def backwards(apps, schema_editor):
    apps.get_model("people", "ActivityKind").objects.filter(code__in=[c for c, *_ in ACTIVITY_KINDS]).delete()
    apps.get_model("people", "GroupKind").objects.filter(code__in=[c for c, *_ in GROUP_KINDS]).delete()
    apps.get_model("people", "NetworkRoleKind").objects.filter(code__in=[c for c, *_ in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_persons_roles_groups_activities")]

    operations = [migrations.RunPython(forwards, backwards)]
