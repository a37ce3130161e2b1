from django.urls import path

from . import views

app_name = "identity_email"

urlpatterns = [
    path("", views.request_link, name="request"),
    path("link/<str:token>/", views.use_link, name="use"),
]
