from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amtsweg.accounts.constants import CATALOGUE_EDITORS, FEEDBACK_ANALYSTS, LEADERSHIP, REFUNDS
from amtsweg.accounts.services import roles_ensure, staff_create
from amtsweg.catalogue.models import Department

# Demo logins are printed on purpose: they exist only in demo mode.
DEMO_STAFF = [
    {"username": "admin", "password": "demo-admin-2026", "superuser": True, "departments": [], "editor": False},
    {
        "username": "redaktion",
        "password": "demo-redaktion-2026",
        "superuser": False,
        "departments": "*",
        "editor": True,
    },
    {
        "username": "standesamt",
        "password": "demo-standesamt-2026",
        "superuser": False,
        "departments": ["standesamt"],
        "editor": True,
    },
    {
        "username": "buergerbuero",
        "password": "demo-buergerbuero-2026",
        "superuser": False,
        "departments": ["buergerbuero"],
        "editor": True,
    },
    {
        "username": "leitung",
        "password": "demo-leitung-2026",
        "superuser": False,
        "departments": "*",
        "editor": False,
        "leadership": True,
    },
    {"username": "lesend", "password": "demo-lesend-2026", "superuser": False, "departments": [], "editor": False},
]


class Command(BaseCommand):
    help = "Create the demo staff accounts and print their logins (demo mode only)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("Demo staff accounts are only created in demo mode (AMTSWEG_DEMO_MODE=1).")
        groups = roles_ensure()
        rows = []
        for spec in DEMO_STAFF:
            if spec["departments"] == "*":
                departments = list(Department.objects.all())
            else:
                departments = list(Department.objects.filter(slug__in=spec["departments"]))
            staff_create(
                username=spec["username"],
                password=spec["password"],
                departments=departments,
                # Department staff may refund their cases' fees in the demo.
                groups=([groups[CATALOGUE_EDITORS]] if spec["editor"] else [])
                + ([groups[REFUNDS]] if spec["departments"] else [])
                # Department staff read their services' survey results; leadership reads all.
                + ([groups[FEEDBACK_ANALYSTS]] if spec["departments"] else [])
                + ([groups[LEADERSHIP]] if spec.get("leadership") else []),
                is_superuser=spec["superuser"],
            )
            rows.append((spec["username"], spec["password"], ", ".join(d.slug for d in departments) or "-"))
        self.stdout.write(
            "Demo staff logins for the back office /intern/ and the admin /intern/admin/ (demo mode only):"
        )
        for username, password, departments in rows:
            self.stdout.write(f"  {username:<14} {password:<24} departments: {departments}")
