from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("antrag/fortsetzen/<str:token>/", views.resume, name="resume"),
    path("antrag/eingereicht/<uuid:uuid>/", views.confirmation, name="confirmation"),
    path("antrag/eingereicht/<uuid:uuid>/zusammenfassung.pdf", views.summary_pdf, name="summary_pdf"),
    path("antrag/<slug:slug>/", views.start, name="start"),
    path("antrag/<slug:slug>/schritt/<slug:step>/", views.step, name="step"),
    path("antrag/<slug:slug>/speichern/", views.save_for_later, name="save"),
    path("antrag/<slug:slug>/unterlagen/", views.documents, name="documents"),
    path("antrag/<slug:slug>/pruefen/", views.check, name="check"),
    path("status/", views.status_lookup, name="status_lookup"),
    path("status/zugang/<str:token>/", views.status_link, name="status_link"),
    path("status/<uuid:uuid>/", views.status, name="status"),
    path("status/<uuid:uuid>/dateien/<uuid:file_uuid>/", views.status_file, name="status_file"),
    path("status/<uuid:uuid>/nachreichen/<uuid:request_uuid>/", views.status_upload, name="status_upload"),
    path(
        "status/<uuid:uuid>/unterlagen/<slug:document>/", views.status_checklist_upload, name="status_checklist_upload"
    ),
]
