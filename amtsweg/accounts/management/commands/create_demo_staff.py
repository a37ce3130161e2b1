from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amtsweg.accounts.constants import (
    APPOINTMENT_ADMINS,
    CATALOGUE_EDITORS,
    COUNTER_RECORDERS,
    DEPARTMENT_LEADS,
    FEEDBACK_ANALYSTS,
    LEADERSHIP,
    REFUNDS,
    TREASURY,
)
from amtsweg.accounts.services import roles_ensure, staff_create
from amtsweg.catalogue.models import Department

# Demo logins are printed on purpose: they exist only in demo mode. Besides these roles, every
# department gets a case worker named after it (see Command.handle), so a new department has one too.
DEMO_ROLES = [
    {"username": "admin", "role": "Systemadministration", "superuser": True, "departments": "", "groups": []},
    {"username": "redaktion", "role": "Katalogredaktion", "departments": "*", "groups": [CATALOGUE_EDITORS]},
    {"username": "leitung", "role": "Leitung", "departments": "*", "groups": [LEADERSHIP]},
    {"username": "kasse", "role": "Stadtkasse", "departments": "", "groups": [TREASURY]},
    {"username": "termine", "role": "Terminverwaltung", "departments": "*", "groups": [APPOINTMENT_ADMINS]},
    {"username": "lesend", "role": "ohne Rechte", "departments": "", "groups": []},
]
# A department's case workers edit its catalogue entries, refund its fees, read its survey results and record
# its counter transactions; its lead sees its usage figures and audit logs.
CASE_WORKER_GROUPS = [CATALOGUE_EDITORS, REFUNDS, FEEDBACK_ANALYSTS, COUNTER_RECORDERS]
LEAD_GROUPS = [DEPARTMENT_LEADS]


def _password(username: str) -> str:
    return f"demo-{username}-2026"


class Command(BaseCommand):
    help = "Create the demo staff accounts, a case worker per department and one per role, and print their logins."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("Demo staff accounts are only created in demo mode (AMTSWEG_DEMO_MODE=1).")
        groups = roles_ensure()
        all_departments = list(Department.objects.order_by("order", "slug"))
        accounts = (
            [
                {
                    "username": department.slug,
                    "role": f"Sachbearbeitung {department.name_de or department.name}",
                    "departments": [department],
                    "groups": CASE_WORKER_GROUPS,
                }
                for department in all_departments
            ]
            + [
                {
                    "username": f"{department.slug}-leitung",
                    "role": f"Abteilungsleitung {department.name_de or department.name}",
                    "departments": [department],
                    "groups": LEAD_GROUPS,
                }
                for department in all_departments
            ]
            + [{**spec, "departments": all_departments if spec["departments"] == "*" else []} for spec in DEMO_ROLES]
        )
        self.stdout.write("Demo staff logins for the back office /intern/ (demo mode only):")
        for spec in accounts:
            staff_create(
                username=spec["username"],
                password=_password(spec["username"]),
                departments=spec["departments"],
                groups=[groups[name] for name in spec["groups"]],
                is_superuser=spec.get("superuser", False),
            )
            self.stdout.write(f"  {spec['username']:<14} {_password(spec['username']):<26} {spec['role']}")
