from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("statistik/", views.dashboard, name="dashboard"),
    path("statistik/export.csv", views.export_csv, name="export_csv"),
    path("statistik/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("statistik/zsk.csv", views.federal_export, name="federal_export"),
    # --- counter transactions ---
    path("statistik/schalter/", views.counter_record, name="counter"),
    path("statistik/schalter/import/", views.counter_import, name="counter_import"),
    path("statistik/schalter/vorlage.csv", views.counter_template, name="counter_template"),
    path("statistik/schalter/entfernen/", views.counter_remove, name="counter_remove"),
    # --- the form funnels ---
    path("statistik/formulare/", views.funnel_list, name="funnel_list"),
    path("statistik/formulare/<slug:slug>/", views.funnel_detail, name="funnel_detail"),
]
