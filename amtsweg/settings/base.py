"""Settings shared by every environment, with development defaults.

Every value comes from the environment through the one ``env`` object.
``production.py`` removes the development defaults for secrets and hosts.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from .csp import csp_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "amtsweg"
VAR_DIR = Path(environ.Env().str("AMTSWEG_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# --- core -------------------------------------------------------------------
# Off by default, also under `make run`: the demo a city looks at shows the portal's own 404 and
# 500 pages, not Django's debug page. A developer opts in with DEBUG=true.
DEBUG = env.bool("DEBUG", default=False)
# A development-only key; production.py demands SECRET_KEY from the environment.
SECRET_KEY = env.str("SECRET_KEY", default="amtsweg-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
# Demo mode seeds demo staff and enables demo plugins. Never in production.
DEMO_MODE = env.bool("AMTSWEG_DEMO_MODE", default=True)
# Serves /_bench/minimal and /_bench/question-floor (benchmarks/views.py), the reference views of `make bench`.
BENCH_ENDPOINTS = env.bool("AMTSWEG_BENCH_ENDPOINTS", default=False)

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "amtsweg.core",
    # After core: core's `db_worker` (the library's, plus the recovery of a dead worker's tasks)
    # overrides the library's command of that name; the first app that has a command wins.
    "django_tasks_db",
    # The RQ worker command (`manage.py rqworker`) for the Redis task backend.
    "django_rq",
    "amtsweg.accounts",
    "amtsweg.catalogue",
    "amtsweg.applications",
    "amtsweg.cases",
    "amtsweg.documents",
    "amtsweg.notifications",
    "amtsweg.payments",
    "amtsweg.payments.contrib.demo",
    "amtsweg.identity",
    "amtsweg.identity.demo_idp",
    "amtsweg.appointments",
    "amtsweg.statistics",
    "amtsweg.feedback",
    "amtsweg.residents",
    "amtsweg.civil_status",
    "amtsweg.immigration",
    "amtsweg.vehicles",
]

MIDDLEWARE = [
    # First, so that it times the whole of Django's work; not used while METRICS_ALLOWED_NETWORKS is empty.
    "amtsweg.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every page, including the error pages and the admin, gets the Content-Security-Policy (SECURE_CSP below);
    # static files answered by WhiteNoise above do not need it.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "amtsweg.core.middleware.PrivatePagesMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "amtsweg.core.middleware.PageLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "amtsweg.core.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "amtsweg.identity.middleware.TrustLevelGateMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: throttles staff logins
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "amtsweg.urls"
WSGI_APPLICATION = "amtsweg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amtsweg.core.context_processors.portal",
                "amtsweg.identity.context_processors.citizen_session",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------
# SQLite in var/ is the embedded default; DATABASE_URL names PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'amtsweg.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: without them every request reconnects, which
    # measured 7 times slower here. Health checks drop dead connections.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Persistent connections here too: opening the file and running the pragmas
    # cost about 1.25 ms per request, three times a one-query view (make bench).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            # WAL lets readers and the one writer work at the same time.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and sessions -----------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Reverse proxies whose X-Forwarded-For is believed for rate limits (core/clientip.py).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="amtsweg"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # One server: a file cache in var/ is shared by all worker processes, so a
    # catalogue change invalidates cached pages in every worker at once.
    CACHES = {
        "default": {
            "BACKEND": "amtsweg.core.cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    # Sessions are read from the file cache and written through to the database: a session read
    # costs a small file read instead of a query (about 0.2 ms of CPU on every page with a session),
    # and a culled or lost cache file falls back to the database row.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The page frame's parts that are the same for every visitor (header, footer, asset links) are rendered once
# per process and language and kept in this cache (templates/base.html, Django's {% cache %} tag).
FRAME_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "amtsweg-frame"}
CACHES["frame"] = FRAME_CACHE

# --- auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"

# Staff login throttling (django-axes): 5 failures lock the username+IP pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Axes prints its version banner on every manage.py call otherwise.
AXES_VERBOSE = False
# TOTP second factor for staff (django-otp): required in production by default.
STAFF_2FA_REQUIRED = env.bool("STAFF_2FA_REQUIRED", default=False)
OTP_TOTP_ISSUER = "Amtsweg"

# --- language ---------------------------------------------------------------
LANGUAGE_CODE = "de"
# Every page is in German and English. A service may offer further languages (catalogue Service.languages,
# e.g. the immigration office's contact form in six): its pages, form, emails and documents are then in those
# too, and other pages say that they are not (docs/languages.md). Names as the speakers write them, for the
# language switch.
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("ru", "Русский"),
]
BASE_LANGUAGES = ("de", "en")
# The further languages whose translations a native speaker has checked; the others say in the page footer
# that they have not been (docs/languages.md).
LANGUAGES_REVIEWED = env.list("AMTSWEG_LANGUAGES_REVIEWED", default=[])
MODELTRANSLATION_DEFAULT_LANGUAGE = "de"
# A text missing in a further language is shown in English, which its readers more often read than German.
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("de",),
    **{code: ("en", "de") for code, _name in LANGUAGES if code not in BASE_LANGUAGES},
}
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Where `collectstatic` writes and nginx serves /static/ from (deploy/nginx/amtsweg.conf).
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Without collectstatic (development, `make run`) WhiteNoise serves the static files from where they are;
# production.py serves the collected, hashed copies only.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- background tasks (Django's Tasks API) ----------------------------------
# django-tasks-db keeps the queue in the database (run `manage.py db_worker`); on several servers,
# TASKS_BACKEND=django_tasks_rq.RQBackend keeps it in Redis (TASKS_REDIS_URL) for RQ workers:
# `manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler default` (docs/deployment.md).
RQ_TASKS_BACKEND = "django_tasks_rq.RQBackend"
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The queue's own Redis database: not the cache's, which may be emptied (and is, in tests).
TASKS_REDIS_URL = env.str("TASKS_REDIS_URL", default="")
if TASKS["default"]["BACKEND"] == RQ_TASKS_BACKEND and not TASKS_REDIS_URL:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={RQ_TASKS_BACKEND} needs TASKS_REDIS_URL, e.g. redis://127.0.0.1:6379/1."
    )
RQ_QUEUES = {
    "default": {
        "URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/1",
        # RQ stops a job after 180 s by default; our longest (the payment reconciliation during a provider
        # outage) takes up to about 17 minutes, so jobs get as long as the database backend gives them
        # before they count as lost (TASKS_RECOVER_AFTER_SECONDS below).
        "DEFAULT_TIMEOUT": env.int("TASKS_RECOVER_AFTER_SECONDS", default=30 * 60),
    }
}
# The periodic jobs that `manage.py run_scheduled` (cron or a systemd timer, every 5 minutes) queues,
# or runs in its own process with --now, in this order: dotted paths of Tasks API tasks that take no
# arguments and return a dict of counts.
SCHEDULED_TASKS = [
    "amtsweg.appointments.tasks.appointments_housekeeping_task",
    "amtsweg.payments.tasks.payment_reconcile_task",
    "amtsweg.cases.retention.retention_run_task",
    "amtsweg.feedback.tasks.feedback_housekeeping_task",
    "amtsweg.residents.tasks.residents_housekeeping_task",
    "amtsweg.documents.tasks.documents_housekeeping_task",
    "amtsweg.vehicles.tasks.vehicles_sweep_task",
]
# A task that a worker took (RUNNING) and has not finished after this many seconds is taken to belong
# to a worker that died (SIGKILL, out of memory, a power cut) and is put back in the queue for another
# worker (core/taskrecovery.py): at-least-once, so every task is idempotent. It must be longer than any
# of our tasks runs, or a live but slow worker's task runs twice (harmless, but wasted): an email takes
# seconds (its PDF, then SMTP with EMAIL_TIMEOUT_SECONDS per step); the longest are the periodic jobs,
# where the reconciliation asks the provider about each pending payment with a 10-second timeout, so
# 100 of them during a provider outage take about 17 minutes. Hence 30 minutes.
TASKS_RECOVER_AFTER_SECONDS = env.int("TASKS_RECOVER_AFTER_SECONDS", default=30 * 60)
# /healthz answers 503 ("tasks": {"status": "stuck"}) when a task has waited longer than this for a worker:
# no worker runs, or the workers cannot keep up. The scheduler queues its jobs every 5 minutes, so a queue that
# works empties well within 15 minutes.
TASKS_STUCK_AFTER_SECONDS = env.int("TASKS_STUCK_AFTER_SECONDS", default=15 * 60)

# --- health and metrics -----------------------------------------------------
# /metrics (Prometheus) answers only clients in these networks (addresses or CIDRs, e.g. 10.0.5.0/24), the
# client's address read as for rate limits (TRUSTED_PROXIES); empty: /metrics is off (404) and nothing is measured.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
for _network in METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network.strip(), strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_network!r} is no address or network.") from _error

# --- applications -----------------------------------------------------------
# Uploaded and generated files live outside the web root and are served only
# through views that check permission.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
UPLOAD_MAX_MB_DEFAULT = env.int("UPLOAD_MAX_MB_DEFAULT", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# ClamAV's clamd socket (e.g. /run/clamav/clamd.ctl); empty means no virus scan.
CLAMAV_SOCKET = env.str("CLAMAV_SOCKET", default="")
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=30)
RESUME_LINK_MAX_AGE_HOURS = env.int("RESUME_LINK_MAX_AGE_HOURS", default=72)
REFERENCE_PREFIX = env.str("REFERENCE_PREFIX", default="KS")
# The city's postcodes, for rules like "the place of death must be in the registry district".
CITY_POSTCODES = frozenset(
    env.list(
        "CITY_POSTCODES",
        default=["34117", "34119", "34121", "34123", "34125", "34127", "34128", "34130", "34131", "34132", "34134"],
    )
)
# The immigration office's area, the City and the District of Kassel, by postcode (immigration.rules); empty:
# every address. The district's postcodes are a list from the towns' own pages, to be confirmed (zu prüfen).
IMMIGRATION_POSTCODES = frozenset(
    env.list(
        "IMMIGRATION_POSTCODES",
        default=[
            *CITY_POSTCODES,
            # Landkreis Kassel: Ahnatal, Bad Emstal, Bad Karlshafen, Baunatal, Breuna, Calden, Espenau, Fuldabrück,
            # Fuldatal, Grebenstein, Habichtswald, Helsa, Hofgeismar, Immenhausen, Kaufungen, Liebenau, Lohfelden,
            # Naumburg, Nieste, Niestetal, Oberweser, Reinhardshagen, Schauenburg, Söhrewald, Trendelburg,
            # Vellmar, Wahlsburg, Wolfhagen, Zierenberg.
            *(
                "34292 34308 34385 34225 34479 34379 34314 34277 34233 34393 34317 34298 34369 34376 34260 "
                "34396 34253 34311 34329 34266 34399 34359 34270 34320 34388 34246 37194 34466 34289"
            ).split(),
        ],
    )
)
# Status page: wrong codes per IP and per reference before a pause.
STATUS_LOOKUP_LIMIT = env.int("STATUS_LOOKUP_LIMIT", default=10)
# How long a browser may see an application after it was made, its code entered or its status link followed
# (applications.access): long enough to pay and read the status, short enough for a shared computer.
STATUS_ACCESS_MINUTES = env.int("STATUS_ACCESS_MINUTES", default=120)
STATUS_LOOKUP_WINDOW_SECONDS = env.int("STATUS_LOOKUP_WINDOW_SECONDS", default=900)

# --- appointments -----------------------------------------------------------
# Fairness against bots on the hold step (appointments/proof.py): an ALTCHA proof
# of work with JavaScript, a short wait without. Deployments can switch it off.
APPOINTMENTS_PROOF_OF_WORK = {
    "enabled": env.bool("APPOINTMENTS_PROOF_OF_WORK", default=True),
    "algorithm": "PBKDF2/SHA-256",
    # PBKDF2 iterations per attempt and the range of the secret counter: about
    # a second on a mid-range phone. Raise both under attack.
    "cost": env.int("ALTCHA_COST", default=1000),
    "max_counter": env.int("ALTCHA_MAX_COUNTER", default=4000),
    "expires_seconds": env.int("ALTCHA_EXPIRES_SECONDS", default=600),
    # Without JavaScript the form must have been open this long before it is sent.
    "fallback_wait_seconds": env.int("APPOINTMENTS_FALLBACK_WAIT_SECONDS", default=15),
    "start_max_age_seconds": 3600,
    # Holds per IP address and hour through the no-JavaScript path (all paths: 20).
    "fallback_holds_per_ip": env.int("APPOINTMENTS_FALLBACK_HOLDS_PER_IP", default=5),
}
# A hold's commit does not wait for PostgreSQL's disk flush (synchronous_commit off for that transaction):
# the location's lock is released sooner in a booking rush; a crash in the next fraction of a second could
# lose a 10-minute hold, never half of one. Rebookings always wait for the flush.
APPOINTMENTS_HOLD_ASYNC_COMMIT = env.bool("APPOINTMENTS_HOLD_ASYNC_COMMIT", default=True)
# How many days before and after today the staff day view, its CSV export and blocking accept (further ahead
# when a location's booking horizon is longer); a time sent to the booking pages must lie in the same days.
APPOINTMENTS_DAY_WINDOW_DAYS = env.int("APPOINTMENTS_DAY_WINDOW_DAYS", default=730)

# --- feedback (survey and raffle) -------------------------------------------
FEEDBACK = {
    # Responses per IP address and window; the footer link (no one-time link) has the lower limit.
    "limit_per_ip": env.int("FEEDBACK_LIMIT_PER_IP", default=20),
    "limit_per_ip_without_link": env.int("FEEDBACK_LIMIT_PER_IP_WITHOUT_LINK", default=5),
    "limit_window_seconds": env.int("FEEDBACK_LIMIT_WINDOW_SECONDS", default=3600),
}

# --- payments ---------------------------------------------------------------
# The provider that fee-bearing submissions are paid with. "demo" is a hosted
# payment page served by this app; production.py refuses it outside demo mode.
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="demo" if DEMO_MODE else "")
PAYMENTS = {
    "provider": PAYMENT_PROVIDER,
    # An unpaid submission runs out after this long; its data is then deleted like a draft's.
    "expiry_hours": env.int("PAYMENT_EXPIRY_HOURS", default=48),
    # Reconciliation asks the provider about payments pending longer than this.
    "reconcile_after_minutes": env.int("PAYMENT_RECONCILE_AFTER_MINUTES", default=15),
    # Kassenzeichen: prefix + two-digit year + seven-digit number + Damm check digit.
    "kassenzeichen_prefix": env.str("PAYMENT_KASSENZEICHEN_PREFIX", default="66"),
    "providers": {
        "demo": {
            # Signs the demo provider's notifications; any value works in development.
            "secret": env.str("PAYMENT_DEMO_SECRET", default="amtsweg-demo-provider"),
            # Seconds before a "delayed" demo notification is sent.
            "delay_seconds": env.int("PAYMENT_DEMO_DELAY_SECONDS", default=20),
        },
        "girocheckout": {
            "base_url": env.str("GIROCHECKOUT_URL", default="https://payment.girosolution.de/girocheckout/api/v2"),
            "merchant_id": env.str("GIROCHECKOUT_MERCHANT_ID", default=""),
            "project_id": env.str("GIROCHECKOUT_PROJECT_ID", default=""),
            "secret": env.str("GIROCHECKOUT_SECRET", default=""),
            "test_mode": env.bool("GIROCHECKOUT_TEST_MODE", default=False),
            "timeout_seconds": env.float("GIROCHECKOUT_TIMEOUT_SECONDS", default=10.0),
        },
    },
}

# --- sealed documents (documents/seal.py) -------------------------------------
# The city's electronic seal (PAdES) on documents the portal issues, e.g. the electronic
# Meldebescheinigung. Files: the key (PEM or DER, PKCS#8), its certificate and the chain above it.
# In demo mode without files, a demo key and self-signed certificate are made in VAR_DIR/documents/.
# Without a seal (production without the files) the services say that they cannot issue sealed
# documents online; see docs/residents.md.
DOCUMENTS_SEAL = {
    "key_file": env.str("DOCUMENTS_SEAL_KEY_FILE", default=""),
    "cert_file": env.str("DOCUMENTS_SEAL_CERT_FILE", default=""),
    "chain_files": env.list("DOCUMENTS_SEAL_CHAIN_FILES", default=[]),
    "key_password": env.str("DOCUMENTS_SEAL_KEY_PASSWORD", default=""),
    # Further certificates a seal on an uploaded PDF may be made with: earlier seal certificates after
    # a change of key, or the root of the trust service that issued the seal certificate.
    "trust_root_files": env.list("DOCUMENTS_SEAL_TRUST_ROOT_FILES", default=[]),
    "demo": DEMO_MODE,
}
# How long the files of a sealed document are kept for the citizen's download right after issue.
DOCUMENTS_DOWNLOAD_MINUTES = env.int("DOCUMENTS_DOWNLOAD_MINUTES", default=60)
# Uploads to the public check page (/pruefen/) per address and hour.
DOCUMENTS_CHECK_LIMIT_PER_IP = env.int("DOCUMENTS_CHECK_LIMIT_PER_IP", default=30)

# --- residents' register (residents/register) ---------------------------------
# The register the Bürgerbüro's services read and write. In demo mode the demo register, a separate
# HTTP service that `make run` starts beside the portal (manage.py demo_register); production refuses it.
RESIDENTS_REGISTER = {
    "provider": env.str("RESIDENTS_REGISTER_PROVIDER", default="demo" if DEMO_MODE else ""),
    # Register reads are audited (residents.RegisterRead) and the entries kept this long (§ 49(3) BMG: a year).
    "audit_days": env.int("RESIDENTS_REGISTER_AUDIT_DAYS", default=400),
    "providers": {
        "demo": {
            "url": env.str("RESIDENTS_REGISTER_DEMO_URL", default="http://127.0.0.1:8101"),
            # The demo register's bearer token; any value works in demo mode.
            "token": env.str("RESIDENTS_REGISTER_DEMO_TOKEN", default="amtsweg-demo-register" if DEMO_MODE else ""),
            "data": env.str("RESIDENTS_REGISTER_DEMO_DATA", default=str(VAR_DIR / "demo-register.json")),
            "timeout_seconds": env.float("RESIDENTS_REGISTER_TIMEOUT_SECONDS", default=5.0),
        },
    },
}
# The Meldebescheinigung (§ 18 BMG): how long anyone can check an electronic one on /pruefen/ (the
# fingerprints are kept that long), and the document numbers' prefix (MB-2026-000123-4).
MELDEBESCHEINIGUNG = {
    "check_days": env.int("MELDEBESCHEINIGUNG_CHECK_DAYS", default=365),
    "number_prefix": env.str("MELDEBESCHEINIGUNG_NUMBER_PREFIX", default="MB"),
}
# The Untersuchungsberechtigungsschein (§§ 32–35 JArbSchG): its numbers, and how long /pruefen/ can check
# it (the first examination may be 14 months old when the job starts).
YOUTH_EXAMINATION = {
    "check_days": env.int("YOUTH_EXAMINATION_CHECK_DAYS", default=450),
    "number_prefix": env.str("YOUTH_EXAMINATION_NUMBER_PREFIX", default="UB"),
}

# --- vehicle registration (vehicles/ikfz) -------------------------------------
# The certified i-Kfz portal the Kfz-Zulassung's online services send their applications to. In demo mode
# the demo registry, a separate HTTP service that `make run` starts beside the portal (manage.py
# demo_vehicle_registry); production refuses it.
VEHICLE_REGISTRY = {
    "provider": env.str("VEHICLE_REGISTRY_PROVIDER", default="demo" if DEMO_MODE else ""),
    # A registry that does not answer: the application is kept and sent again after these minutes, then
    # waits in the inbox for staff ("Registry not reachable") and is still sent when a run succeeds.
    "retry_minutes": env.list("VEHICLE_REGISTRY_RETRY_MINUTES", cast=int, default=[1, 5, 15, 60, 240]),
    # An attempt claimed longer ago than this belongs to a process that died; another may take it over.
    "claim_seconds": env.int("VEHICLE_REGISTRY_CLAIM_SECONDS", default=120),
    "providers": {
        "demo": {
            "url": env.str("VEHICLE_REGISTRY_DEMO_URL", default="http://127.0.0.1:8102"),
            # The demo registry's bearer token; any value works in demo mode.
            "token": env.str("VEHICLE_REGISTRY_DEMO_TOKEN", default="amtsweg-demo-registry" if DEMO_MODE else ""),
            "data": env.str("VEHICLE_REGISTRY_DEMO_DATA", default=str(VAR_DIR / "demo-vehicles.json")),
            "timeout_seconds": env.float("VEHICLE_REGISTRY_TIMEOUT_SECONDS", default=5.0),
        },
    },
}
# The documents of an approved application (vehicles/proof.py) and the postal dispatch (vehicles/dispatch.py):
# how long /pruefen/ can check a provisional proof of registration or a confirmation of deregistration, their
# document numbers' prefixes (ZN-2026-000123-4, AB-…), and the days after the decision by which the
# registration certificate part I and the plate seals must be in the post (§ 26(4) FZV: six days).
VEHICLE_DOCUMENTS = {
    "check_days": env.int("VEHICLE_DOCUMENTS_CHECK_DAYS", default=365),
    "proof_number_prefix": env.str("VEHICLE_PROOF_NUMBER_PREFIX", default="ZN"),
    "deregistration_number_prefix": env.str("VEHICLE_DEREGISTRATION_NUMBER_PREFIX", default="AB"),
    "dispatch_days": env.int("VEHICLE_DISPATCH_DAYS", default=6),
}

# --- identity (citizen login) ------------------------------------------------
# Providers offered on the login page, in this order. In demo mode the bundid
# plugin talks real SAML to the demo identity provider served under /demo-idp/,
# which it knows only by its metadata URL, as it knows BundID.
IDENTITY_DEMO_IDP = env.bool("IDENTITY_DEMO_IDP", default=DEMO_MODE)
DEMO_IDP_METADATA_URL = "/demo-idp/metadata/"
IDENTITY = {
    "enabled": env.list("IDENTITY_PROVIDERS", default=["bundid", "email"] if DEMO_MODE else ["email"]),
    # The demo identity provider (test persons); production.py refuses it.
    "demo_idp": IDENTITY_DEMO_IDP,
    "providers": {
        "email": {
            "max_age_minutes": env.int("EMAIL_LOGIN_MAX_AGE_MINUTES", default=15),
            "limit_per_address": env.int("EMAIL_LOGIN_LIMIT_PER_ADDRESS", default=5),
            "limit_per_ip": env.int("EMAIL_LOGIN_LIMIT_PER_IP", default=20),
            "limit_window_seconds": env.int("EMAIL_LOGIN_LIMIT_WINDOW_SECONDS", default=3600),
        },
        "bundid": {
            # Defaults suit demo mode (keys made on first use in var/identity/); production sets them all.
            "sp_entity_id": env.str("BUNDID_SP_ENTITY_ID", default=""),
            # A path is an identity provider on this site (the demo identity provider's, by default in demo mode).
            "idp_metadata_url": env.str(
                "BUNDID_IDP_METADATA_URL", default=DEMO_IDP_METADATA_URL if IDENTITY_DEMO_IDP else ""
            ),
            "idp_metadata_file": env.str("BUNDID_IDP_METADATA_FILE", default=""),
            "sp_key_file": env.str("BUNDID_SP_KEY_FILE", default=""),
            "sp_cert_file": env.str("BUNDID_SP_CERT_FILE", default=""),
            "online_service_id": env.str("BUNDID_ONLINE_SERVICE_ID", default=""),
            "organization_display_name": env.str("BUNDID_ORGANIZATION_DISPLAY_NAME", default="Stadt Kassel"),
            "xmlsec_binary": env.str("XMLSEC_BINARY", default="/usr/bin/xmlsec1"),
            # Checks the signature of metadata fetched from the URL.
            "idp_metadata_cert_file": env.str("BUNDID_IDP_METADATA_CERT_FILE", default=""),
            # Only needed if the metadata lists several identity providers.
            "idp_entity_id": env.str("BUNDID_IDP_ENTITY_ID", default=""),
            # "" sends the AuthnRequest by POST if the IdP offers it; "redirect" prefers the Redirect binding.
            "sso_binding": env.str("BUNDID_SSO_BINDING", default=""),
            "metadata_timeout_seconds": env.float("BUNDID_METADATA_TIMEOUT_SECONDS", default=10.0),
        },
        "oidc": {
            "discovery_url": env.str("OIDC_DISCOVERY_URL", default=""),
            "client_id": env.str("OIDC_CLIENT_ID", default=""),
            "client_secret": env.str("OIDC_CLIENT_SECRET", default=""),
            "scope": env.str("OIDC_SCOPE", default="openid profile email"),
            # acr value -> trust level, e.g. {"urn:eidas:loa:high": "high"}
            "acr_map": env.json("OIDC_ACR_MAP", default={}),
            "display_name": env.str("OIDC_DISPLAY_NAME", default="Servicekonto"),
            "timeout_seconds": env.float("OIDC_TIMEOUT_SECONDS", default=10.0),
        },
    },
}

# --- Content-Security-Policy (settings/csp.py, docs/deployment.md) ------------
# The same strict policy in development and production: no inline script or style, everything from
# our own origin. Forms may lead to this site and to the configured payment and identity providers;
# CSP_FORM_ACTION adds origins (a provider whose pages live on another host than its configured URL),
# CSP_EXTRA_SOURCES adds sources by directive (JSON), CSP_REPORT_URI collects violation reports, and
# CSP_REPORT_ONLY only reports what the policy would block instead of blocking it.
CSP_FORM_ACTION = env.list("CSP_FORM_ACTION", default=[])
CSP_EXTRA_SOURCES = env.json("CSP_EXTRA_SOURCES", default={})
CSP_REPORT_URI = env.str("CSP_REPORT_URI", default="")
CSP_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
SECURE_CSP, SECURE_CSP_REPORT_ONLY = csp_settings(
    payments=PAYMENTS,
    identity=IDENTITY,
    form_action=CSP_FORM_ACTION,
    extra=CSP_EXTRA_SOURCES,
    report_uri=CSP_REPORT_URI,
    report_only=CSP_REPORT_ONLY,
)

# --- the portal -------------------------------------------------------------
_dev_host = env.str("AMTSWEG_HOST", default="127.0.0.1")
DEVELOPMENT_URL = "http://{}:{}".format(
    # A server bound to every interface is reached on this machine at 127.0.0.1.
    "127.0.0.1" if _dev_host in ("0.0.0.0", "") else f"[{_dev_host}]" if ":" in _dev_host else _dev_host,  # noqa: S104
    env.int("AMTSWEG_PORT", default=8000),
)
PORTAL = {
    "city": env.str("AMTSWEG_CITY", default="Kassel"),
    # The Land the city is in: it pays the youth employment medical examinations (§ 44 JArbSchG).
    "state": env.str("AMTSWEG_STATE", default="Hessen"),
    # The portal's public address, for links in emails. In development it follows the address
    # `make run` serves (HOST and PORT, passed on as AMTSWEG_HOST and AMTSWEG_PORT).
    "base_url": env.str("AMTSWEG_BASE_URL", default=DEVELOPMENT_URL),
    "hotline": env.str("AMTSWEG_HOTLINE", default="115"),
    "hotline_local": env.str("AMTSWEG_HOTLINE_LOCAL", default="0561 115"),
    "accessibility_email": env.str("AMTSWEG_ACCESSIBILITY_EMAIL", default="barrierefreiheit@kassel.de"),
    # The official regional key (Amtlicher Regionalschlüssel) of the municipality, 12 digits: the federal usage
    # metric is reported per ARS. Kassel: 066110000000.
    "ars": env.str("AMTSWEG_ARS", default="066110000000"),
}

# --- civil-status certificates (Standesamt) ------------------------------------
# How long the Standesamt keeps a register entry before it goes to the city archive
# (§ 5(5) PStG, docs/civil-status.md). Older entries cannot be ordered online: the
# citizen is sent to the archive below. Years by entry kind; set in the environment as JSON.
CIVIL_STATUS_RETENTION_YEARS = env.json(
    "AMTSWEG_CIVIL_STATUS_RETENTION_YEARS",
    default={"birth": 110, "marriage": 80, "partnership": 80, "death": 30},
)
# A "newborn" order (free first certificates for Elterngeld, Kindergeld and
# Mutterschaftsgeld) is for a child born at most this many days ago.
CIVIL_STATUS_NEWBORN_MAX_DAYS = env.int("AMTSWEG_CIVIL_STATUS_NEWBORN_MAX_DAYS", default=365)
# The archive that holds older register entries, as shown to the citizen.
# Source: https://www.kassel.de/buerger/stadtgeschichte/stadtarchiv/stadtarchiv.php
CIVIL_STATUS_ARCHIVE = {
    "name": env.str("AMTSWEG_ARCHIVE_NAME", default="Stadtarchiv Kassel"),
    "address": env.str("AMTSWEG_ARCHIVE_ADDRESS", default="Wildemannsgasse 1 (Marstallgebäude), 34117 Kassel"),
    "phone": env.str("AMTSWEG_ARCHIVE_PHONE", default="0561 787-4050"),
    "email": env.str("AMTSWEG_ARCHIVE_EMAIL", default="stadtarchiv@kassel.de"),
    "url": env.str(
        "AMTSWEG_ARCHIVE_URL", default="https://www.kassel.de/buerger/stadtgeschichte/stadtarchiv/stadtarchiv.php"
    ),
}

# Notice of marriage (eheschliessung-anmelden, docs/civil-status.md): the notice is given at most this
# many months before the wedding (§ 13(4) PStG: it is valid for 6 months), and the partner's own link is
# valid for this many days.
CIVIL_STATUS_MARRIAGE = {
    "notice_months": env.int("AMTSWEG_MARRIAGE_NOTICE_MONTHS", default=6),
    "partner_link_days": env.int("AMTSWEG_MARRIAGE_PARTNER_LINK_DAYS", default=14),
}

# Fulfilment: the services whose orders, once paid, enter the Standesamt's queue
# (certificates printed from the registry software and sent by post), and the
# working days from payment to posting while a service has no processing rule.
CIVIL_STATUS_FULFILMENT = {
    "services": env.list(
        "AMTSWEG_CIVIL_STATUS_FULFILMENT_SERVICES",
        default=["geburtsurkunde", "eheurkunde", "lebenspartnerschaftsurkunde", "sterbeurkunde"],
    ),
    "working_days": env.int("AMTSWEG_CIVIL_STATUS_FULFILMENT_DAYS", default=2),
}
# A death must be reported to the Standesamt of the place of death by the third working day after it
# (§ 28 PStG). Whether a Saturday counts ("Werktag") is handled differently; zu prüfen with the Standesamt.
# The free certificates ordered with a death notice reach the fulfilment queue as orders of this service.
CIVIL_STATUS_DEATH_NOTICE = {
    "working_days": env.int("AMTSWEG_DEATH_NOTICE_WORKING_DAYS", default=3),
    "saturdays": env.bool("AMTSWEG_DEATH_NOTICE_SATURDAYS", default=False),
    "certificate_service": env.str("AMTSWEG_DEATH_NOTICE_CERTIFICATE_SERVICE", default="sterbeurkunde"),
    # Where a citizen finds the Standesamt of another town: the federal portal's authority finder.
    "finder_url": env.str("AMTSWEG_DEATH_NOTICE_FINDER_URL", default="https://verwaltung.bund.de"),
}

# --- email (Django 6.1 MAILERS) ---------------------------------------------
# Development and demo mode keep every email in a mailbox folder, read at /demo-postfach/
# (notifications/mailbox.py); production.py sends through SMTP and turns the mailbox off.
DEV_MAILBOX_DIR = env.path("AMTSWEG_DEV_MAILBOX_DIR", default=VAR_DIR / "mailbox")
MAILERS = {
    "default": {
        "BACKEND": "amtsweg.notifications.mailbox.MailboxBackend",
        "OPTIONS": {"folder": str(DEV_MAILBOX_DIR)},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="amtsweg@localhost")
# An email not sent this many minutes after it was queued shows staff the same warning as a failed one
# (on the case page and in the inbox), whatever its attempts: also when no worker has taken its task.
NOTIFICATION_OVERDUE_MINUTES = env.int("NOTIFICATION_OVERDUE_MINUTES", default=15)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        # WeasyPrint and fontTools log every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pysaml2 logs NameIDs at INFO and whole assertions with personal data at DEBUG.
        "saml2": {"level": "WARNING"},
        # xmlschema (under pysaml2) logs each schema it loads at INFO.
        "xmlschema": {"level": "WARNING"},
    },
}
