"""Settings of a real ``manage.py db_worker`` that a test starts in another process.

The test settings, except that emails go by SMTP to the test's fake mail server. The test passes in
the environment what it shares with the worker: the database (``DATABASE_URL``, the test database),
the fake server's port (``AMTSWEG_TEST_SMTP_PORT``), the folder of generated files
(``PRIVATE_MEDIA_ROOT``) and, if it likes, ``TASKS_RECOVER_AFTER_SECONDS``.
"""

import os

from amtsweg.settings.test import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": int(os.environ["AMTSWEG_TEST_SMTP_PORT"]), "timeout": 30},
    }
}
