"""The staff sign-in and second factor, under the back office's ``intern/``."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("anmelden/", views.StaffLoginView.as_view(), name="login"),
    path("abmelden/", views.StaffLogoutView.as_view(), name="logout"),
    path("2fa/", views.otp_verify, name="otp_verify"),
    path("2fa/einrichten/", views.otp_setup, name="otp_setup"),
]
