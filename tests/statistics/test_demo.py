"""The demo figures "Kassel, first half of 2020": generated records that add up to the plan's totals."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from amtsweg.catalogue.models import Service
from amtsweg.core.workdays import is_working_day, working_days_between
from amtsweg.statistics.constants import AppointmentOutcome, Channel
from amtsweg.statistics.demo import KASSEL_2020_H1, demo_plan_with, demo_records_load
from amtsweg.statistics.models import AppointmentRecord, CaseRecord

CERTIFICATES = ["geburtsurkunde", "eheurkunde", "sterbeurkunde"]
BUERGERBUERO = [
    "meldebescheinigung",
    "melderegisterauskunft",
    "auskunftssperre",
    "uebermittlungssperre",
    "untersuchungsberechtigungsschein",
    "nebenwohnung-abmelden",
]
IMMIGRATION = ["zuwanderung-kontakt"]
VEHICLES = ["kfz-neuzulassung", "kfz-ausserbetriebsetzung", "kfz-umschreibung", "kfz-wiederzulassung"]


def _sum(slugs, first, last, channel=None):
    """The transactions of these services received in [first, last], counted straight from the table."""
    records = CaseRecord.objects.filter(
        service__slug__in=slugs, submitted_on__gte=datetime.date(*first), submitted_on__lte=datetime.date(*last)
    )
    if channel:
        records = records.filter(channel=channel)
    return records.aggregate(total=Sum("count"))["total"] or 0


@pytest.fixture
def loaded(kassel):
    return demo_records_load()


@pytest.mark.django_db
def test_default_plan_reproduces_the_press_releases_figures(loaded):
    certificates = _sum(CERTIFICATES, (2020, 1, 1), (2020, 6, 30))
    online_certificates = _sum(CERTIFICATES, (2020, 1, 1), (2020, 6, 30), Channel.ONLINE)
    assert certificates == 6279
    assert 3 * online_certificates > certificates  # more than a third online
    assert _sum(CERTIFICATES, (2020, 1, 1), (2020, 6, 30), Channel.COUNTER) == certificates - online_certificates
    assert _sum(BUERGERBUERO, (2020, 1, 1), (2020, 5, 31), Channel.ONLINE) == 1838
    assert _sum(IMMIGRATION, (2020, 3, 1), (2020, 5, 31), Channel.ONLINE) == 2248
    assert _sum(VEHICLES, (2020, 1, 1), (2020, 5, 31), Channel.ONLINE) == 129
    # The contact form was new in March; the release's periods are exact because June is a group of its own.
    assert _sum(IMMIGRATION, (2020, 1, 1), (2020, 2, 29)) == 0
    assert _sum(BUERGERBUERO + VEHICLES + IMMIGRATION, (2020, 6, 1), (2020, 6, 30)) > 0
    assert not CaseRecord.objects.filter(submitted_on__year__gt=2020).exists()
    assert loaded.transactions == CaseRecord.objects.aggregate(total=Sum("count"))["total"]


@pytest.mark.django_db
def test_other_seeds_and_totals_add_up_to_the_plan_and_spread_differently(kassel):
    plan = demo_plan_with(
        certificates=(300, 450),
        buergerbuero_online=120,
        buergerbuero_online_june=0,
        immigration_contact=95,
        immigration_contact_june=10,
        vehicles_online=17,
        vehicles_online_june=0,
    )
    spreads = []
    for seed in (7, 8):
        demo_records_load(plan=plan, seed=seed)
        assert _sum(CERTIFICATES, (2020, 1, 1), (2020, 6, 30), Channel.ONLINE) == 300
        assert _sum(CERTIFICATES, (2020, 1, 1), (2020, 6, 30), Channel.COUNTER) == 450
        assert _sum(BUERGERBUERO, (2020, 1, 1), (2020, 6, 30)) == 120
        assert _sum(IMMIGRATION, (2020, 3, 1), (2020, 5, 31)) == 95
        assert _sum(IMMIGRATION, (2020, 1, 1), (2020, 6, 30)) == 105
        assert _sum(VEHICLES, (2020, 1, 1), (2020, 6, 30)) == 17
        spreads.append(
            Counter(
                {
                    (row["service__slug"], row["submitted_on"], row["channel"]): row["total"]
                    for row in CaseRecord.objects.values("service__slug", "submitted_on", "channel").annotate(
                        total=Sum("count")
                    )
                }
            )
        )
    assert spreads[0] != spreads[1]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_records(kassel):
    plan = demo_plan_with(certificates=(40, 60), buergerbuero_online=30, immigration_contact=20, vehicles_online=5)

    def spread():
        return sorted(CaseRecord.objects.values_list("service__slug", "submitted_on", "channel", "count", "closed_on"))

    demo_records_load(plan=plan, seed=3)
    first = spread()
    demo_records_load(plan=plan, seed=3)
    assert spread() == first


@pytest.mark.django_db
def test_counter_transactions_only_on_working_days_and_fewer_in_the_lockdown(loaded):
    counter = CaseRecord.objects.filter(channel=Channel.COUNTER)
    assert counter.exists()
    assert all(is_working_day(day) for day in counter.values_list("submitted_on", flat=True))
    assert CaseRecord.objects.filter(channel=Channel.ONLINE, submitted_on__week_day__in=[1, 7]).exists()
    january = _sum(CERTIFICATES, (2020, 1, 1), (2020, 1, 31), Channel.COUNTER)
    april = _sum(CERTIFICATES, (2020, 4, 1), (2020, 4, 30), Channel.COUNTER)
    assert april < january * 0.7


@pytest.mark.django_db
def test_online_cases_close_later_with_their_working_days_and_fee(loaded):
    online = CaseRecord.objects.filter(channel=Channel.ONLINE)
    assert set(online.values_list("count", flat=True)) == {1}
    assert set(online.values_list("final_status", flat=True)) == {"completed", "rejected", "withdrawn"}
    assert online.filter(final_status="completed").count() > 0.9 * online.count()
    for submitted, closed, days in online.values_list("submitted_on", "closed_on", "working_days")[:500]:
        assert closed >= submitted
        assert days == working_days_between(submitted, closed)
    birth = Service.objects.get(slug="geburtsurkunde")
    first, further = (birth.fees.get(code=code).amount_cents for code in ("first-copy", "further-copy"))
    paid = set(online.filter(service=birth, final_status="completed").values_list("paid_cents", flat=True))
    assert paid == {0, first, first + further}  # free for a newborn's benefits, one copy, two copies
    assert set(online.exclude(final_status="completed").values_list("paid_cents", flat=True)) == {0}
    assert not CaseRecord.objects.filter(channel=Channel.COUNTER).exclude(paid_cents=0).exists()
    certificates = online.filter(service__slug__in=CERTIFICATES)
    assert certificates.filter(within_target=True).count() > 0.8 * certificates.count()


@pytest.mark.django_db
def test_bürgerbüro_appointments_have_about_one_in_ten_no_shows(loaded):
    appointments = AppointmentRecord.objects.filter(location__slug="buergerbuero-rathaus")
    assert appointments.count() == KASSEL_2020_H1.appointments[0].total
    no_shows = appointments.filter(outcome=AppointmentOutcome.NO_SHOW).count()
    assert 0.08 < no_shows / appointments.count() < 0.12
    assert not appointments.filter(day__week_day=1).exists()  # no Sundays


@pytest.mark.django_db
def test_command_replaces_the_demo_set_and_keeps_real_records(kassel, settings, capsys):
    settings.DEMO_MODE = True
    service = Service.objects.get(slug="geburtsurkunde")
    real = CaseRecord.objects.create(
        service=service, department=service.department, submitted_on=datetime.date(2020, 2, 3), details={"x": 1}
    )
    call_command("load_statistics_demo")
    first = (CaseRecord.objects.count(), AppointmentRecord.objects.count())
    call_command("load_statistics_demo")
    assert (CaseRecord.objects.count(), AppointmentRecord.objects.count()) == first
    assert CaseRecord.objects.filter(pk=real.pk).exists()
    assert _sum(CERTIFICATES, (2020, 1, 1), (2020, 6, 30)) == 6279 + 1
    printed = capsys.readouterr().out
    assert "certificates 2260 online + 4019 counter" in printed
    assert f"replaced {first[0] - 1} case and {first[1]} appointment records" in printed


@pytest.mark.django_db
def test_command_refuses_outside_demo_mode(kassel, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("load_statistics_demo")
    assert not CaseRecord.objects.exists()


@pytest.mark.django_db
def test_command_without_the_catalogue_says_what_to_load_first(settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="load_kassel_demo"):
        call_command("load_statistics_demo")
