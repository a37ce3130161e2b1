"""The immigration office's staff triage, under the back office's ``intern/``."""

from django.urls import path

from . import staff_views

app_name = "immigration_triage"

urlpatterns = [
    path("intern/zuwanderung/", staff_views.triage_list, name="list"),
    path("intern/zuwanderung/anrufe/", staff_views.call_list, name="calls"),
    path("intern/zuwanderung/faelle/<uuid:uuid>/", staff_views.triage_action, name="action"),
]
