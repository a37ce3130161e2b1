import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Generated PDFs go to a temporary folder, never into var/."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def clock_moves_on():
    """Make the retries that wait for a later time due now, as if the minutes had passed."""

    def move() -> int:
        return DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).update(
            run_after=timezone.now()
        )

    return move


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mail_backends.DisconnectingSMTPBackend"}}


@pytest.fixture
def mail_server_back(settings):
    def back() -> None:
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    return back
