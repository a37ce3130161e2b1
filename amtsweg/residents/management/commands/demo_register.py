from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        where = urlsplit(config["url"])
        data = Path(config["data"])
        if not data.exists():
            raise CommandError(f"{data} does not exist: run manage.py load_register_demo first.")
        server = serve(data=data, token=config["token"], host=where.hostname or "127.0.0.1", port=where.port or 80)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
