"""The catalogue's start button points to the online form when a service has a published one."""

from django.urls import NoReverseMatch, reverse

from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import register_start_resolver

from .models import FormVersion


@register_start_resolver
def online_form_start(service: Service) -> str | None:
    if not FormVersion.objects.filter(service=service, published=True).exists():
        return None
    try:
        return reverse("applications:start", kwargs={"slug": service.slug})
    except NoReverseMatch:
        return None
