"""`manage.py sync_seeds`: bring the seeded companies and actors up to date with
timeline/seeds/*.json in an existing database (a fresh `migrate` already has them)."""

from django.apps import apps
from django.core.management.base import BaseCommand

from timeline.models import Actor, Company
from timeline.seeds import seed_database


class Command(BaseCommand):
    help = "Create or update the seeded companies and actors."

    def handle(self, *args, **options):
        seed_database(apps)
        self.stdout.write(f"{Company.objects.count()} companies, {Actor.objects.count()} actors.")
