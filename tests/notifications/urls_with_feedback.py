"""The portal's URLs plus a stand-in feedback page, as the feedback module will add one."""

from django.http import HttpResponse
from django.urls import path

from amtsweg.urls import urlpatterns as portal_urlpatterns


def _survey(request):  # type: ignore[no-untyped-def]
    return HttpResponse("survey")


urlpatterns = [
    path("feedback/", _survey),
    path("en/feedback/", _survey),
    *portal_urlpatterns,
]
