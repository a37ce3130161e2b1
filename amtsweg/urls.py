from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from amtsweg.catalogue import views as catalogue
from amtsweg.core import views as core
from amtsweg.core.adminsite import AdminSite, TwoFactorAdminSite
from amtsweg.identity.urls import plugin_urlpatterns as identity_plugin_urlpatterns

# The admin checks the dates in its query strings (core/adminsite.py); with STAFF_2FA_REQUIRED it asks for the
# TOTP code as well, like the back office.
admin.site.__class__ = TwoFactorAdminSite if settings.STAFF_2FA_REQUIRED else AdminSite

admin.site.site_header = _("Amtsweg administration")
admin.site.site_title = _("Amtsweg")
admin.site.index_title = _("Catalogue and settings")

urlpatterns = [
    path("healthz", core.healthz, name="healthz"),
    path("metrics", core.metrics, name="metrics"),
]
if settings.BENCH_ENDPOINTS:
    # The benchmarks' reference views, only when the bench harness asks for them (benchmarks/ need not ship).
    from benchmarks import views as bench

    urlpatterns.append(path("_bench/minimal", bench.minimal, name="bench_minimal"))

localized = [
    path("", catalogue.home, name="home"),
    re_path(r"^(?P<page>impressum|datenschutz|barrierefreiheit)/$", core.legal_page, name="legal"),
    path("", include("amtsweg.catalogue.urls")),
    path("", include("amtsweg.applications.urls")),
    path("", include("amtsweg.payments.urls")),
    path("", include("amtsweg.identity.urls")),
    path("", include("amtsweg.appointments.urls")),
    path("", include("amtsweg.feedback.urls")),
    path("", include("amtsweg.notifications.urls")),
    path("", include("amtsweg.documents.urls")),
    *identity_plugin_urlpatterns(),
    path("intern/admin/", admin.site.urls),
    path("", include("amtsweg.civil_status.urls")),
    path("", include("amtsweg.residents.urls")),
    path("", include("amtsweg.vehicles.urls")),
    path("", include("amtsweg.immigration.staff_urls")),
    path("", include("amtsweg.immigration.urls")),
    path("intern/", include("amtsweg.accounts.urls")),
    path("intern/", include("amtsweg.cases.urls")),
    path("intern/", include("amtsweg.statistics.urls")),
]
if settings.BENCH_ENDPOINTS:
    # The ceiling of a question page for the benchmarks: localized like the form pages.
    localized.append(path("_bench/question-floor", bench.question_page_floor, name="bench_question_floor"))
if settings.IDENTITY.get("demo_idp"):
    # The demo identity provider stands in for BundID's site (development, demo mode and tests).
    localized.append(path("demo-idp/", include("amtsweg.identity.demo_idp.urls")))
if settings.PAYMENTS.get("provider") == "demo":
    # The demo provider's hosted payment page stands in for a provider's site (development and demo mode).
    localized.append(path("", include("amtsweg.payments.contrib.demo.urls")))
urlpatterns += i18n_patterns(*localized, prefix_default_language=False)

handler404 = "amtsweg.core.views.error_404"
handler500 = "amtsweg.core.views.error_500"
