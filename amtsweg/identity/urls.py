import importlib

from django.urls import include, path

from . import views
from .apps import BUILT_IN

app_name = "identity"

urlpatterns = [
    path("anmelden/", views.login_choice, name="login"),
    path("anmelden/<slug:provider>/start/", views.login_start, name="login_start"),
    path("abmelden/", views.logout, name="logout"),
    path("mein-amtsweg/", views.account, name="account"),
    path("mein-amtsweg/loeschen/", views.account_delete, name="account_delete"),
]


def plugin_urlpatterns() -> list:
    """Each provider's own endpoints (callbacks, metadata) under /anmelden/<slug>/, namespace identity_<slug>."""
    patterns = []
    for name in BUILT_IN:
        try:
            module = importlib.import_module(f"amtsweg.identity.contrib.{name}.urls")
        except ModuleNotFoundError:
            continue
        patterns.append(path(f"anmelden/{name}/", include(module)))
    return patterns
