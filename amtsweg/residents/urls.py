"""The citizen's pages of the objections to transfers. Each names the service in ``slug``, so that the
trust-level gate asks for the service's level (the eID at "hoch")."""

from django.urls import path

from . import views
from .constants import TRANSFER_OBJECTION_SERVICE

app_name = "residents"

SERVICE = {"slug": TRANSFER_OBJECTION_SERVICE}

urlpatterns = [
    path("uebermittlungssperren/", views.objections, SERVICE, name="objections"),
    path("uebermittlungssperren/eingetragen/", views.objections_done, SERVICE, name="objections_done"),
    path("uebermittlungssperren/zuruecknehmen/", views.objection_withdraw, SERVICE, name="objection_withdraw"),
]
