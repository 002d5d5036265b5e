"""The full-text index of the library: an FTS5 table on SQLite, a GIN index on a weighted
tsvector on PostgreSQL, both over the folded columns computed in Python
(lantoa.library.search). Existing documents are indexed again."""

from django.db import migrations

from lantoa.library.search import FTS_TABLE, PG_FUNCTION, PG_FUNCTION_SQL, PG_INDEX, PG_VECTOR, index_documents


class _Models:
    def __init__(self, apps):
        self.Document = apps.get_model("library", "Document")
        self.DocumentVersion = apps.get_model("library", "DocumentVersion")
        self.DocumentFile = apps.get_model("library", "DocumentFile")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "number, title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION_SQL)
        schema_editor.execute(f"CREATE INDEX {PG_INDEX} ON library_document USING gin ({PG_VECTOR.format(p='')})")
    models = _Models(apps)
    index_documents(models.Document.objects.values_list("pk", flat=True), models=models)


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
