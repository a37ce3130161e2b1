from django.urls import path

from . import views

app_name = "identity_oidc"

urlpatterns = [
    path("callback/", views.callback, name="callback"),
]
