"""The first full-text index of the library (replaced by 0004): an FTS5 table on SQLite, a GIN
index on a weighted tsvector on PostgreSQL. Its SQL is written out here so that the migration
stays what it was when the search code changes; a database created now holds no document yet at
this step, and 0004 indexes every document again."""

from django.db import migrations

FTS_TABLE = "library_document_fts"
PG_INDEX = "library_document_search_gin"
PG_FUNCTION = "library_search_vector"
PG_FUNCTION_SQL = (
    f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}(number text, title text, body text) RETURNS tsvector "
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 100000 AS $$ BEGIN RETURN "
    "setweight(to_tsvector('simple'::regconfig, number), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'D'); END $$"
)
PG_VECTOR = f"{PG_FUNCTION}(number_folded::text, title_folded::text, search_folded)"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "number, title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_SQL)
        schema_editor.execute(f"CREATE INDEX {PG_INDEX} ON library_document USING gin ({PG_VECTOR})")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}(text, text, text)")


class Migration(migrations.Migration):
    dependencies = [("library", "0002_default_kinds")]

    operations = [migrations.RunPython(forwards, backwards)]
