from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("leistungen/", views.service_list, name="service_list"),
    path("leistungen/<slug:slug>/", views.service_detail, name="service_detail"),
    path("standorte/", views.location_list, name="location_list"),
    path("suche/", views.search, name="search"),
]
