from django.contrib import admin
from django.urls import path

from timeline import exports, feeds, views

urlpatterns = [
    path("", views.timeline_index, name="timeline_index"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("export.csv", exports.export_csv, name="export_csv"),
    path("export.json", exports.export_json, name="export_json"),
    path("deadlines.ics", feeds.deadlines_ics, name="deadlines_ics"),
    path("feeds/actions/", feeds.actions_feed, name="actions_feed"),
    path("admin/", admin.site.urls),
]
