"""Writes for staff accounts and roles, and the staff's second factor."""

from __future__ import annotations

import time
from binascii import unhexlify
from typing import TYPE_CHECKING, Any

from django.apps import apps as django_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from amtsweg.catalogue.models import Department

from .constants import (
    APPOINTMENT_ADMINS,
    CATALOGUE_EDITORS,
    COUNTER_RECORDERS,
    DEPARTMENT_LEADS,
    FEEDBACK_ANALYSTS,
    LEADERSHIP,
    REFUNDS,
    TREASURY,
)
from .models import User

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice

CATALOGUE_MODELS = ("service", "fee", "location", "openinghours", "department", "referral")


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the staff groups and give them their permissions. Idempotent."""
    create_permissions(django_apps.get_app_config("catalogue"), verbosity=0)
    editors, _ = Group.objects.get_or_create(name=CATALOGUE_EDITORS)
    codenames = [f"{action}_{model}" for model in CATALOGUE_MODELS for action in ("view", "add", "change", "delete")]
    perms = Permission.objects.filter(content_type__app_label="catalogue", codename__in=codenames)
    editors.permissions.add(*perms)
    create_permissions(django_apps.get_app_config("payments"), verbosity=0)
    refunds, _ = Group.objects.get_or_create(name=REFUNDS)
    refunds.permissions.add(*Permission.objects.filter(content_type__app_label="payments", codename="refund_payment"))
    treasury, _ = Group.objects.get_or_create(name=TREASURY)
    treasury.permissions.add(*Permission.objects.filter(content_type__app_label="payments", codename="export_treasury"))
    create_permissions(django_apps.get_app_config("appointments"), verbosity=0)
    appointment_admins, _ = Group.objects.get_or_create(name=APPOINTMENT_ADMINS)
    codenames = [
        f"{action}_{model}"
        for model in ("bookingpolicy", "counterhours", "closure", "bookableservice")
        for action in ("view", "add", "change", "delete")
    ] + ["view_appointment"]
    appointment_admins.permissions.add(
        *Permission.objects.filter(content_type__app_label="appointments", codename__in=codenames)
    )
    create_permissions(django_apps.get_app_config("feedback"), verbosity=0)
    feedback = Permission.objects.filter(content_type__app_label="feedback")
    analysts, _ = Group.objects.get_or_create(name=FEEDBACK_ANALYSTS)
    analysts.permissions.add(*feedback.filter(codename__in=["view_results", "tag_ideas"]))
    create_permissions(django_apps.get_app_config("statistics"), verbosity=0)
    create_permissions(django_apps.get_app_config("cases"), verbosity=0)
    figures = Permission.objects.filter(content_type__app_label="statistics", codename="view_figures")
    leadership, _ = Group.objects.get_or_create(name=LEADERSHIP)
    leadership.permissions.add(
        *feedback.filter(codename__in=["view_results", "view_all_results", "tag_ideas", "manage_raffle"]), *figures
    )
    # A lead sees the figures of their own departments only: the same department scope as their cases.
    department_leads, _ = Group.objects.get_or_create(name=DEPARTMENT_LEADS)
    department_leads.permissions.add(
        *figures,
        *feedback.filter(codename="view_results"),
        *Permission.objects.filter(content_type__app_label="cases", codename="view_auditentry"),
    )
    counter_recorders, _ = Group.objects.get_or_create(name=COUNTER_RECORDERS)
    counter_recorders.permissions.add(
        *Permission.objects.filter(content_type__app_label="statistics", codename="record_counter")
    )
    return {
        CATALOGUE_EDITORS: editors,
        REFUNDS: refunds,
        TREASURY: treasury,
        APPOINTMENT_ADMINS: appointment_admins,
        FEEDBACK_ANALYSTS: analysts,
        LEADERSHIP: leadership,
        DEPARTMENT_LEADS: department_leads,
        COUNTER_RECORDERS: counter_recorders,
    }


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    departments: list[Department] | None = None,
    groups: list[Group] | None = None,
    is_superuser: bool = False,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create or reset a staff account; used by demo seeding and tests."""
    user, _ = User.objects.get_or_create(username=username)
    user.first_name = first_name
    user.last_name = last_name
    user.is_staff = True
    user.is_superuser = is_superuser
    user.set_password(password)
    user.save()
    user.departments.set(departments or [])
    user.groups.set(groups or [])
    return user


# --- second factor -----------------------------------------------------------------------


def totp_device_confirm(*, user: Any, key: str, token: str) -> TOTPDevice | None:
    """Create the user's confirmed TOTP device if ``token`` is valid for the new ``key`` (hex); else None.

    The key lives in the session until confirmed, so no half-set-up device is stored.
    """
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    try:
        code = int(token)
        totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    except (ValueError, TypeError):
        return None
    totp.time = time.time()
    if not totp.verify(code, tolerance=1):
        return None
    with transaction.atomic():
        return TOTPDevice.objects.create(user=user, name="Authenticator", key=key, confirmed=True, last_t=totp.t())
