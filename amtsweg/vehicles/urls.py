"""The Kfz-Zulassung's pages: under the back office's ``intern/``, the action on a case's vehicle application."""

from django.urls import path

from . import registry_views

app_name = "vehicles"

urlpatterns = [
    # The back office (staff only): approve, refuse or send again, under its case's address.
    path("intern/faelle/<uuid:uuid>/zulassung/", registry_views.registry_action, name="registry_action"),
]
