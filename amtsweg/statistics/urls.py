from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("statistik/", views.dashboard, name="dashboard"),
    path("statistik/export.csv", views.export_csv, name="export_csv"),
    path("statistik/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("statistik/zsk.csv", views.federal_export, name="federal_export"),
]
