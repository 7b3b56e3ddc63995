"""Benchmarks: scripts run by hand (`.venv/bin/python benchmarks/<name>.py`), never timed in tests."""
