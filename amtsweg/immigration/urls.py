"""The immigration office's citizen pages beside the form engine's."""

from django.urls import path

from . import views

app_name = "immigration"

urlpatterns = [
    path("antrag/eingereicht/<uuid:uuid>/eingangsbestaetigung.pdf", views.receipt, name="receipt"),
]
