"""The staff back office, mounted at ``intern/`` (the admin keeps ``intern/admin/``)."""

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("kennzahlen/", views.figures, name="figures"),
    path("faelle/<uuid:uuid>/", views.case_detail, name="case_detail"),
    path("faelle/<uuid:uuid>/dateien/<uuid:file_uuid>/", views.case_file, name="case_file"),
    path("faelle/<uuid:uuid>/protokoll/", views.case_audit, name="case_audit"),
    path("faelle/<uuid:uuid>/protokoll.csv", views.case_audit_csv, name="case_audit_csv"),
]
