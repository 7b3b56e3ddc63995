from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Policy-action timeline"
    default_auto_field = "django.db.models.BigAutoField"
