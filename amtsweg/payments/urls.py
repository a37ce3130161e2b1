from django.urls import path

from . import staff_views, views

app_name = "payments"

urlpatterns = [
    path("zahlung/<uuid:uuid>/", views.pay, name="pay"),
    path("zahlung/<uuid:uuid>/zurueck/<uuid:tx_uuid>/", views.provider_return, name="return"),
    path("zahlung/<uuid:uuid>/abgebrochen/<uuid:tx_uuid>/", views.provider_return, name="cancelled"),
    path("zahlung/<uuid:uuid>/quittung.pdf", views.receipt, name="receipt"),
    path("intern/kasse/", staff_views.treasury_export, name="treasury_export"),
    # Providers post here, server to server (no CSRF token); reversed in the default language, without prefix.
    path("zahlung/benachrichtigung/<slug:provider>/", views.notify, name="notify"),
]
