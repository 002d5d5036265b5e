"""On PostgreSQL, an index that holds every column the rollup reads from the conference sites, in
the order of their date: a dashboard's sums over a hundred thousand sites read the index alone
(an index-only scan), not the wide rows. Over five years of a province's sites the statement went
from 42 ms to 26 ms (docs/benchmarks.md): a table larger than a quarter of PostgreSQL's buffers is
read through a small ring and comes from the operating system's cache on every read, and the
index does not.

Not declared on the model: Django's covering indexes (``include``) exist on PostgreSQL only and
SQLite would warn about it (models.W040). ``lantoa/meetings/tests/test_rollup_index.py`` checks
that the rollup's statement can be answered from the index alone, so a measure added to the
sources without its column here is noticed."""

from django.db import migrations

NAME = "meetings_point_rollup"
KEY = "held_on, unit_id"
# The columns the rollup's sources read (meetings/registrations.py): their filters and measures.
COLUMNS = (
    "conference_held, conference_online, is_host, level, "
    "present, members_expected, rated_members_present, rated_present, summoned"
)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON meetings_bridgepoint ({KEY}) INCLUDE ({COLUMNS})"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_point_conference_status_copies")]

    operations = [migrations.RunPython(create, drop)]
