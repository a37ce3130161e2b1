from django.urls import path

from . import staff_views, views

app_name = "appointments"

urlpatterns = [
    path("termin/", views.overview, name="overview"),
    path("termin/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("termin/verwalten/<str:token>/", views.manage, name="manage"),
    path("termin/verwalten/<str:token>/termin.ics", views.ics, name="ics"),
    path("termin/frueheste/<slug:service>/", views.earliest, name="earliest"),
    path("termin/<slug:location>/<slug:service>/", views.times, name="times"),
    path("termin/<slug:location>/<slug:service>/angaben/", views.details, name="details"),
    path("aufruf/<slug:location>/", staff_views.call_display, name="call_display"),
    path("intern/termine/", staff_views.locations, name="staff_locations"),
    path("intern/termine/<slug:location>/", staff_views.day_view, name="staff_day"),
    path("intern/termine/<slug:location>/tag.csv", staff_views.day_csv, name="staff_day_csv"),
    path("intern/termine/<slug:location>/sperren/", staff_views.block, name="staff_block"),
    path("intern/termine/<slug:location>/ohne-termin/", staff_views.walk_in, name="staff_walk_in"),
]
