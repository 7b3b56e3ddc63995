"""`manage.py create_dev_admin`: a development superuser, created or reset, with
its login printed. Refuses to run when DEBUG is off."""

from __future__ import annotations

import secrets

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or reset the development superuser (DEBUG only) and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default=None, help="Default: a new random password each run.")

    def handle(self, *args, username, password, **options):
        if not settings.DEBUG:
            raise CommandError("create_dev_admin is for development only; DEBUG is off. Use createsuperuser.")
        password = password or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        axes_reset(username=username)  # a reset also lifts a lockout from earlier failed logins
        self.stdout.write(f"{'Created' if created else 'Reset'} development superuser.")
        self.stdout.write(f"  username: {username}\n  password: {password}\n  login at /admin/")
