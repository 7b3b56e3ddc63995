"""Load the companies and actors governments most often act against, so a fresh
`migrate` is all the extractor needs to know them."""

from django.db import migrations


def seed(apps, schema_editor):
    from timeline.seeds import seed_list

    Company = apps.get_model("timeline", "Company")
    Actor = apps.get_model("timeline", "Actor")
    by_name = {}
    for entry in seed_list("companies"):
        company, _ = Company.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "aliases": entry.get("aliases", []),
                "country": entry.get("country", ""),
                "sector": entry.get("sector", ""),
            },
        )
        by_name[entry["name"]] = company
    for entry in seed_list("companies"):
        if entry.get("parent"):
            Company.objects.filter(slug=entry["slug"]).update(parent=by_name[entry["parent"]])
    for entry in seed_list("actors"):
        Actor.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "kind": entry["kind"],
                "aliases": entry.get("aliases", []),
                "country": entry.get("country", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
