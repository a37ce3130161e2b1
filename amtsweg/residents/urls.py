"""The issued Meldebescheinigung's page and downloads, beside the form's own pages (applications).

The address names the service by its slug, as the form's pages do, so that the trust gate applies the
service's level (the eID at "high"); the views answer only for the Meldebescheinigung.
"""

from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("antrag/<slug:slug>/ausgestellt/<uuid:uuid>/", views.certificate, name="certificate"),
    path(
        "antrag/<slug:slug>/ausgestellt/<uuid:uuid>/meldebescheinigung.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "antrag/<slug:slug>/ausgestellt/<uuid:uuid>/meldedatensatz.json",
        views.certificate_record,
        name="certificate_record",
    ),
]
