"""The Kfz-Zulassung's pages: the citizen's document from the status page; under the back office's ``intern/``,
the action on a case's vehicle application and the dispatch queue."""

from django.urls import path

from . import registry_views, staff_views, views

app_name = "vehicles"

urlpatterns = [
    # The citizen (a session that may see the application): the document issued with an approval.
    path("status/<uuid:uuid>/kfz-nachweis.pdf", views.proof, name="proof"),
    # The back office (staff only): approve, refuse or send again, under its case's address.
    path("intern/faelle/<uuid:uuid>/zulassung/", registry_views.registry_action, name="registry_action"),
    # The back office (kfz staff): the registration certificates and Stempelplaketten to post.
    path("intern/kfz/versand/", staff_views.queue, name="dispatch"),
]
