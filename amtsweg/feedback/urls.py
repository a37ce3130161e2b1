from django.urls import path

from . import staff_views, views

app_name = "feedback"

urlpatterns = [
    path("rueckmeldung/", views.survey, name="survey"),
    path("rueckmeldung/danke/", views.thanks, name="thanks"),
    path("rueckmeldung/gewinnspiel/", views.raffle, name="raffle"),
    path("rueckmeldung/gewinnspiel/teilgenommen/", views.raffle_done, name="raffle_done"),
    path("rueckmeldung/verlosung/<uuid:uuid>/", views.draw_public, name="draw"),
    path("intern/rueckmeldungen/", staff_views.dashboard, name="dashboard"),
    path("intern/rueckmeldungen/export.csv", staff_views.export, name="export"),
    path("intern/rueckmeldungen/ideen/<uuid:uuid>/", staff_views.idea_edit, name="idea_edit"),
    path("intern/rueckmeldungen/gewinnspiel/<uuid:uuid>/", staff_views.winners, name="winners"),
]
