from django.urls import path

from . import views

app_name = "identity_demo"

urlpatterns = [
    path("", views.select, name="select"),
]
