"""Production settings for the load test's server, which speaks plain HTTP on loopback.

Everything is timeline.settings as deployed (DEBUG off, CSP, axes, IMMEDIATE SQLite
transactions), with one exception: static files are not collected for a throwaway run,
so their URLs come from the plain storage instead of the hashed manifest.
"""

from timeline.settings import *  # noqa: F403
from timeline.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
