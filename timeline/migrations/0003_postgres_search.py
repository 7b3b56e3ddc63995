"""On PostgreSQL, a GIN index for full-text search over Action.search_text.

The indexed expression is exactly what `SearchVector("search_text", config="english")`
compiles to (see timeline/fulltext.py), so the planner can use it. SQLite has no
such index; there the search stays a substring match and this migration does nothing.
"""

from django.db import migrations

INDEX_NAME = "action_search_fts_idx"
INDEXED_EXPRESSION = "to_tsvector('english'::regconfig, COALESCE(\"search_text\", ''))"


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX_NAME}" ON "timeline_action" USING GIN ({INDEXED_EXPRESSION})'
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX_NAME}"')


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0002_seed_companies_and_actors"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
