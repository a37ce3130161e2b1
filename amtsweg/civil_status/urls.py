"""The Standesamt's fulfilment back office, under the back office's ``intern/``."""

from django.urls import path

from . import church_leaving_views
from . import staff_views as views
from . import views as citizen_views

app_name = "civil_status"

urlpatterns = [
    path("intern/urkunden/", views.queue, name="queue"),
    path("intern/urkunden/stapeldruck/", views.batch_print, name="batch_print"),
    path("intern/urkunden/servicelevel/", views.report, name="report"),
    path("intern/urkunden/<uuid:uuid>/", views.order_detail, name="order_detail"),
    path("intern/urkunden/<uuid:uuid>/drucken/", views.order_print, name="order_print"),
    # Kirchenaustritt: the prepared declaration (citizen and case page) and the record of the declaration.
    path(
        "antrag/kirchenaustritt/<uuid:uuid>/erklaerung.pdf",
        church_leaving_views.declaration,
        name="church_leaving_declaration",
    ),
    path(
        "intern/faelle/<uuid:uuid>/kirchenaustritt/erklaerung.pdf",
        church_leaving_views.staff_declaration,
        name="church_leaving_staff_declaration",
    ),
    path(
        "intern/faelle/<uuid:uuid>/kirchenaustritt/erklaert/",
        church_leaving_views.record,
        name="church_leaving_record",
    ),
    # The notice of marriage: the partner's own link, and a new one sent from the applicant's status page.
    path("eheschliessung/partner/<str:token>/", citizen_views.partner, name="partner"),
    path("eheschliessung/partner/<str:token>/pruefen/", citizen_views.partner_confirm, name="partner_confirm"),
    path("eheschliessung/partner/<str:token>/<slug:step>/", citizen_views.partner_step, name="partner_step"),
    path("status/<uuid:uuid>/partnerlink/", citizen_views.partner_resend, name="partner_resend"),
]
