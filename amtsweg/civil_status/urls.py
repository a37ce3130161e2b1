"""The Standesamt's fulfilment back office, under the back office's ``intern/``."""

from django.urls import path

from . import staff_views as views

app_name = "civil_status"

urlpatterns = [
    path("intern/urkunden/", views.queue, name="queue"),
    path("intern/urkunden/stapeldruck/", views.batch_print, name="batch_print"),
    path("intern/urkunden/servicelevel/", views.report, name="report"),
    path("intern/urkunden/<uuid:uuid>/", views.order_detail, name="order_detail"),
    path("intern/urkunden/<uuid:uuid>/drucken/", views.order_print, name="order_print"),
]
