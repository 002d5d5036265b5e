"""On PostgreSQL, half of each page of the stage rows is left free, so that writing a stage's
scores and ranks (every row, at each computation) updates the rows in place ("HOT" updates)
instead of adding an entry to each of the table's seven indexes per row: for 100,000 entries,
about half a second instead of about ten (docs/benchmarks.md). Nothing to do on SQLite. The
setting applies to pages written from now on; an existing table takes it whole after
``VACUUM FULL judging_entrystage``."""

from django.db import migrations


def leave_room(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE judging_entrystage SET (fillfactor = 50)")


def fill_pages(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE judging_entrystage RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("judging", "0006_assessment_evidence_files")]

    operations = [migrations.RunPython(leave_room, fill_pages)]
