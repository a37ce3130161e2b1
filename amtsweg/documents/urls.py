from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("pruefen/", views.check, name="check_upload"),
    path("pruefen/<uuid:uuid>/", views.check, name="check"),
]
