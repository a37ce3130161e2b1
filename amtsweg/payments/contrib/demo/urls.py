from django.urls import path

from . import views

app_name = "payments_demo"

urlpatterns = [
    path("demo-zahlung/<str:provider_id>/", views.page, name="page"),
]
