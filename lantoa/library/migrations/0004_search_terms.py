"""The full-text index of the library as distinct words and word pairs without positions
(lantoa.library.search): an FTS5 table with ``detail=column`` on SQLite; on PostgreSQL the table
of vectors ``library_document_search`` with a GIN index. The first index (0003) and the
document's long folded column go; every document is indexed again."""

from django.db import migrations, models
import django.db.models.deletion

import lantoa.library.models
from lantoa.library.search import index_documents

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE library_search USING fts5("
    "number, title, body, detail = column, tokenize = 'unicode61 remove_diacritics 0')"
)
PG_INDEX = "CREATE INDEX library_document_search_body ON library_document_search USING gin (body)"


class _Models:
    def __init__(self, apps):
        self.Document = apps.get_model("library", "Document")
        self.DocumentVersion = apps.get_model("library", "DocumentVersion")
        self.DocumentFile = apps.get_model("library", "DocumentFile")


def replace_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS library_document_fts")
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS library_document_search_gin")
        schema_editor.execute("DROP FUNCTION IF EXISTS library_search_vector(text, text, text)")
        schema_editor.execute(PG_INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS library_search")


def fill_index(apps, schema_editor):
    models = _Models(apps)
    index_documents(models.Document.objects.values_list("pk", flat=True), models=models)


class Migration(migrations.Migration):
    dependencies = [("library", "0003_search_index")]

    operations = [
        migrations.CreateModel(
            name="DocumentSearch",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="library.document",
                    ),
                ),
                ("number", lantoa.library.models.SearchVectorField()),
                ("head", lantoa.library.models.SearchVectorField()),
                ("body", lantoa.library.models.SearchVectorField()),
            ],
            options={"db_table": "library_document_search"},
        ),
        migrations.RunPython(replace_index, drop_index),
        migrations.RemoveField(model_name="document", name="search_folded"),
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
