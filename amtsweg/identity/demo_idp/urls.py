from django.urls import path

from . import views

app_name = "demo_idp"

urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("sso/", views.sso, name="sso"),
    path("anmelden/", views.select, name="select"),
    path("slo/", views.slo, name="slo"),
]
