"""Load the companies and actors governments most often act against, so a fresh
`migrate` is all the extractor needs to know them."""

from django.db import migrations


def seed(apps, schema_editor):
    from timeline.seeds import seed_database

    seed_database(apps)


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
