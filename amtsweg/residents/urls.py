"""The Bürgerbüro's own citizen pages. Each names the service in ``slug``, as the form's pages do, so that the
trust-level gate asks for the service's level (the eID at "hoch"): the objections to transfers, and the page and
downloads of a document issued at once (the views answer only for the services in ``views.ISSUED_PAGES``); and,
under the back office's ``intern/``, the print of a Meldebescheinigung ordered on paper (``paper``)."""

from django.urls import path

from . import paper, views
from .constants import TRANSFER_OBJECTION_SERVICE

app_name = "residents"

SERVICE = {"slug": TRANSFER_OBJECTION_SERVICE}

urlpatterns = [
    path("uebermittlungssperren/", views.objections, SERVICE, name="objections"),
    path("uebermittlungssperren/eingetragen/", views.objections_done, SERVICE, name="objections_done"),
    path("uebermittlungssperren/zuruecknehmen/", views.objection_withdraw, SERVICE, name="objection_withdraw"),
    path("antrag/<slug:slug>/ausgestellt/<uuid:uuid>/", views.certificate, name="certificate"),
    path("antrag/untersuchungsberechtigungsschein/erhebungsbogen.pdf", views.questionnaire, name="questionnaire"),
    path(
        "antrag/<slug:slug>/ausgestellt/<uuid:uuid>/dokument.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "antrag/<slug:slug>/ausgestellt/<uuid:uuid>/meldedatensatz.json",
        views.certificate_record,
        name="certificate_record",
    ),
    # The back office: the print of a Meldebescheinigung ordered on paper, from its case page.
    path("intern/faelle/<uuid:uuid>/meldebescheinigung-drucken/", paper.certificate_print, name="paper_print"),
    # The back office (staff only): the answer to a Melderegisterauskunft, under its case's address.
    path("intern/faelle/<uuid:uuid>/melderegisterauskunft/", views.information_decide, name="information_decide"),
]
