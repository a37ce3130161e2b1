"""The Kfz-Zulassung's pages: under the back office's ``intern/``, the action on a case's vehicle application."""

from django.urls import path

from . import views

app_name = "vehicles"

urlpatterns = [
    # The back office (staff only): approve, refuse or send again, under its case's address.
    path("intern/faelle/<uuid:uuid>/zulassung/", views.registry_action, name="registry_action"),
]
