"""The seeded companies and actors arrive with `migrate` and can be brought up to date."""

import pytest
from django.core.management import call_command

from timeline.models import Actor, Company
from timeline.seeds import seed_list


@pytest.mark.django_db
def test_a_fresh_migrate_knows_every_seeded_company_and_actor():
    """The extractor needs nothing but `migrate` to know the seeded names and ownership."""
    assert Company.objects.count() == len(seed_list("companies"))
    assert Actor.objects.count() == len(seed_list("actors"))
    assert Company.objects.get(slug="tiktok").parent.slug == "bytedance"
    assert Company.objects.get(slug="wechat").parent.slug == "tencent"


@pytest.mark.django_db
def test_sync_seeds_restores_missing_rows_and_is_idempotent(capsys):
    """A database migrated before the seed lists grew catches up with one command."""
    Company.objects.filter(slug="bytedance").delete()  # TikTok's parent link goes with it
    call_command("sync_seeds")
    call_command("sync_seeds")
    assert Company.objects.count() == len(seed_list("companies"))
    assert Company.objects.get(slug="tiktok").parent.slug == "bytedance"
    assert "companies" in capsys.readouterr().out
