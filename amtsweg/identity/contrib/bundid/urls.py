from django.urls import path

from . import views

app_name = "identity_bundid"

urlpatterns = [
    path("acs/", views.acs, name="acs"),
    path("metadata/", views.metadata, name="metadata"),
    path("slo/", views.slo, name="slo"),
]
