from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amtsweg.core.demo_http import serve_until_stopped
from amtsweg.residents.register.contrib.demo.server import serve


class Command(BaseCommand):
    help = (
        "Serve the demo residents' register over HTTP, as a separate service, at RESIDENTS_REGISTER_DEMO_URL "
        "(http://127.0.0.1:8101 by default) from its data file (manage.py load_register_demo makes it). "
        "Demo mode only."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("The demo residents' register runs in demo mode only.")
        config = settings.RESIDENTS_REGISTER["providers"]["demo"]
        data = Path(config["data"])
        if not data.exists():
            raise CommandError(f"{data} does not exist: run manage.py load_register_demo first.")
        serve_until_stopped(serve=serve, data=data, token=config["token"], url=config["url"])
