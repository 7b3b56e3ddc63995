"""Shared test setup: extraction runs in-process (the immediate task backend)
unless a test starts a real worker, and uploads land in a throwaway folder."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_side_effects(request, tmp_path):
    if not request.config.pluginmanager.has_plugin("django"):
        return  # pure-Python tests run with `-p no:django`
    settings = request.getfixturevalue("settings")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
