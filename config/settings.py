"""ScholarHub settings, read from the environment (see .env.example for every variable).

One module serves all three services. ``SCHOLARHUB_SERVICE`` (portal, orcid or scopus) picks the
URLconf and the cookie names of the process; the database router keeps each service's tables in
its own alias whichever process runs.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import authlib.deprecate  # noqa: F401 - imported before the filter below; see there
import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

# Django's generic classes (ModelAdmin, ModelForm, BaseFormSet, …) take type arguments at
# runtime as django-stubs declares them, so app code can say ModelForm[Person].
django_stubs_ext.monkeypatch()

# Authlib warns on import that its httpx integration will move to httpx2. The Scopus wizard
# uses that integration on purpose (httpx's MockTransport and WSGITransport stand in for ORCID
# in tests); the warning only clutters every command's output. authlib.deprecate installs an
# "always" filter when imported, so it is imported first and this filter goes in front of it.
warnings.filterwarnings("ignore", message="The httpx module is deprecated")

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SCHOLARHUB_VAR_DIR", BASE_DIR / "var"))
# SQLite files and collected static files live here; a fresh clone has no var/ yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable; anything but a clear yes is no."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated list."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ORGANIZATION_ID_SOURCES = ("ROR", "RINGGOLD", "FUNDREF", "GRID", "LEI")


def organization_ids_file(variable: str) -> dict[str, dict[str, str]]:
    """Read the JSON file a variable names: organisation name → {"source", "id", and optionally
    "city", "country"}. A file that is missing or wrong stops the service with the reason, so a
    typo does not silently keep every funding off ORCID."""
    path = os.environ.get(variable, "").strip()
    if not path:
        return {}
    try:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"{variable}: cannot read {path}: {error}") from error
    if not isinstance(loaded, dict):
        raise ImproperlyConfigured(f"{variable}: {path} must hold one JSON object, names as keys")
    for name, entry in loaded.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise ImproperlyConfigured(f'{variable}: "{name}" in {path} has no "id"')
        if str(entry.get("source", "")).upper() not in ORGANIZATION_ID_SOURCES:
            raise ImproperlyConfigured(
                f'{variable}: "{name}" in {path}: "source" must be one of '
                + ", ".join(ORGANIZATION_ID_SOURCES)
            )
        if not all(isinstance(value, str) for value in entry.values()):
            raise ImproperlyConfigured(f'{variable}: "{name}" in {path}: values must be text')
    return loaded


# --- Which service this process is --------------------------------------------------------

# Production turns on every HTTPS protection `check --deploy` asks for and leaves the sandboxes
# out; a demo or a test run keeps them, so the whole exercise runs offline.
PRODUCTION = env_bool("SCHOLARHUB_PRODUCTION")
# Whether the ORCID and Scopus sandboxes are installed at all (apps, databases, services).
SANDBOXES = env_bool("SCHOLARHUB_SANDBOXES", default=not PRODUCTION)

SERVICES = ("portal", "orcid", "scopus") if SANDBOXES else ("portal",)
SCHOLARHUB_SERVICE = os.environ.get("SCHOLARHUB_SERVICE", "portal")
if SCHOLARHUB_SERVICE not in SERVICES:
    raise ImproperlyConfigured(
        f"SCHOLARHUB_SERVICE must be one of {', '.join(SERVICES)}, not {SCHOLARHUB_SERVICE!r}"
        + ("" if SANDBOXES else " (the sandboxes are not installed: SCHOLARHUB_SANDBOXES=0)")
    )

# --- Security -------------------------------------------------------------------------------

DEBUG = env_bool("SCHOLARHUB_DEBUG")
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("SCHOLARHUB_DEBUG and SCHOLARHUB_PRODUCTION cannot both be on.")
SECRET_KEY = os.environ.get("SCHOLARHUB_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SCHOLARHUB_SECRET_KEY is not set. Set it (any long random string) or set "
            "SCHOLARHUB_DEBUG=1 for a local demo."
        )
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("SCHOLARHUB_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SCHOLARHUB_CSRF_TRUSTED_ORIGINS", "")

# All three services share 127.0.0.1 in a demo, and browsers scope cookies by host, not port:
# each service gets cookie names of its own so one never overwrites another's.
SESSION_COOKIE_NAME = f"{SCHOLARHUB_SERVICE}_sessionid"
CSRF_COOKIE_NAME = f"{SCHOLARHUB_SERVICE}_csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SCHOLARHUB_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS everywhere in production: redirect plain HTTP, and tell browsers never to try it.
SECURE_SSL_REDIRECT = env_bool("SCHOLARHUB_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SCHOLARHUB_HSTS_SECONDS", str(365 * 24 * 3600 if PRODUCTION else 0))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SCHOLARHUB_HSTS_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SCHOLARHUB_HSTS_PRELOAD")
# Joining the browsers' preload list binds the university's whole domain to HTTPS for good:
# its owner decides (SCHOLARHUB_HSTS_PRELOAD=1), so `check --deploy` does not ask it of us.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a TLS-terminating proxy, the proxy's X-Forwarded-Proto says the request was HTTPS.
if env_bool("SCHOLARHUB_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Applications ---------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "jobs",
    "portal",
    # Content researchers publish directly (issue 13): each registers itself with the portal.
    "activities",
    "prizes",
    "impacts",
    "press",
    # Content the Library validates, as it does research outputs (issue 13).
    "projects",
    "datasets",
    "theses",
    "orcid_connector",
    "scopus_connector",
    "exercise",
    # The top: the `scholarhub` commands (serve, demo, seed-demo, migrate-all); no models.
    "scholarhub",
]
if SANDBOXES:
    INSTALLED_APPS += ["orcid_sandbox", "scopus_sandbox"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response but static files (policy at the end); the
    # ORCID sandbox's sign-in and authorize pages also allow their client's redirect URIs.
    (
        "orcid_sandbox.csp.ClientRedirectCSPMiddleware"
        if SCHOLARHUB_SERVICE == "orcid"
        else "csp.middleware.CSPMiddleware"
    ),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it watches the authentication results of the views above.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = f"config.urls_{SCHOLARHUB_SERVICE}"
WSGI_APPLICATION = f"config.wsgi_{SCHOLARHUB_SERVICE}.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Databases ------------------------------------------------------------------------------
# One alias per service. "default" is the portal's (it also holds Django's own tables); the
# sandboxes stand for other organisations and keep their tables to themselves (config.routers).


def database(variable: str, sqlite_name: str) -> dict[str, object]:
    """A DATABASES entry from a URL variable, defaulting to a SQLite file under var/."""
    default_url = f"sqlite:///{VAR_DIR / sqlite_name}"
    config = dj_database_url.parse(
        os.environ.get(variable, default_url), conn_max_age=60, conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The embedded default under concurrent use: WAL lets readers work beside the one
        # writer; IMMEDIATE transactions take the write lock at BEGIN, so a transaction that
        # reads and then writes waits for the lock (up to the timeout) instead of failing at
        # once with "database is locked", as SQLite's deferred transactions do.
        config["OPTIONS"] = {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        config["CONN_MAX_AGE"] = 0
    return dict(config)


DATABASES = {"default": database("PORTAL_DATABASE_URL", "portal.sqlite3")}
if SANDBOXES:
    DATABASES["orcid"] = database("ORCID_SANDBOX_DATABASE_URL", "orcid_sandbox.sqlite3")
    DATABASES["scopus"] = database("SCOPUS_SANDBOX_DATABASE_URL", "scopus_sandbox.sqlite3")
DATABASE_ROUTERS = ["config.routers.ServiceRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
# Local accounts now; SAML / OIDC / LDAP backends slot in front of ModelBackend later.

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:backend-home"
LOGOUT_REDIRECT_URL = "portal:home"

# Sign-in throttling (portal.signin): failures are counted per account from any address, and
# per address across accounts, each against its own limit; an address is the client's, read
# through the trusted proxies in front of the portal (0: the peer is the client).
AXES_HANDLER = "portal.signin.SignInThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("PORTAL_LOGIN_FAILURE_LIMIT", "5"))
# Ours, read by portal.signin: higher, since colleagues on one campus share a few addresses.
AXES_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("PORTAL_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_CLIENT_IP_CALLABLE = "portal.signin.client_address"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))
AXES_COOLOFF_TIME = float(os.environ.get("PORTAL_LOGIN_COOLOFF_HOURS", "0.25"))
# portal.signin clears only the account's own failures, never the address's count.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/backend/locked_out.html"
# Axes prints a banner in every process it starts; three services and each command repeat it.
AXES_VERBOSE = False

# --- Cache ----------------------------------------------------------------------------------
# What is read often and changes seldom (public pages, the generations that date them) is kept
# here, shared by every process of the machine: a disk cache under var/cache indexed by SQLite
# (diskcache), whose writes cost the same at any size. Django's file cache lists its whole
# folder on every write: at 20,000 entries a write cost 28 ms of CPU, and every portal action
# writes several generations (bench/orcid_export_scale.py measured 197 ms a change). Several
# machines share no folder: they set Django's Redis or Memcached backend in their own settings.
CACHES = {
    "default": {
        "BACKEND": "diskcache.DjangoCache",
        "LOCATION": os.environ.get("SCHOLARHUB_CACHE_LOCATION") or str(VAR_DIR / "cache"),
        "TIMEOUT": 24 * 3600,
        # A read held up longer by a lock is a miss (readers never wait for writers: WAL);
        # writes wait and retry.
        "DATABASE_TIMEOUT": 0.25,
        # Least recently stored entries go first beyond 1 GiB.
        "OPTIONS": {"size_limit": 2**30},
    }
}

# --- E-mail ---------------------------------------------------------------------------------
# Researchers and the Library are mailed on validation, returns, invitations and reminders.
# Without an SMTP host (a demo, a laptop) mail is written to files under var/mail, one file
# per message, so nothing leaves the machine and everything can be read.
EMAIL_HOST = os.environ.get("SCHOLARHUB_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("SCHOLARHUB_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SCHOLARHUB_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SCHOLARHUB_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("SCHOLARHUB_EMAIL_TLS", default=True)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get(
    "SCHOLARHUB_FROM_EMAIL", "CityU Scholars <scholars@cityu.edu.hk>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the Library is told of work for it (validation digests, identifier conflicts).
PORTAL_LIBRARY_EMAIL = os.environ.get("PORTAL_LIBRARY_EMAIL", "library-scholars@cityu.edu.hk")

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("SCHOLARHUB_TIME_ZONE", "Asia/Hong_Kong")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves from here once `collectstatic` ran, and from the apps (finders) before.
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SCHOLARHUB_LOG_LEVEL", "INFO")},
    # One line per outbound request is noise at INFO; failures still surface as exceptions.
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # WeasyPrint logs seven progress lines per PDF CV at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# --- Background work (design §4) ------------------------------------------------------------

# Tasks go to the database; `scholarhub db_worker` runs them, `scholarhub scheduler` queues the
# periodic ones. Local times at which the daily jobs are queued:
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SCHOLARHUB_ORCID_EXPORT_AT = os.environ.get("SCHOLARHUB_ORCID_EXPORT_AT", "02:00")
SCHOLARHUB_EXERCISE_REFRESH_AT = os.environ.get("SCHOLARHUB_EXERCISE_REFRESH_AT", "03:00")
SCHOLARHUB_SCOPUS_SEARCH_AT = os.environ.get("SCHOLARHUB_SCOPUS_SEARCH_AT", "04:00")
SCHOLARHUB_SCOPUS_DISCOVERY_AT = os.environ.get("SCHOLARHUB_SCOPUS_DISCOVERY_AT", "03:30")
SCHOLARHUB_EXERCISE_REMINDERS_AT = os.environ.get("SCHOLARHUB_EXERCISE_REMINDERS_AT", "09:00")
# The Library's daily digest of outputs waiting for validation, before its working day.
PORTAL_VALIDATION_DIGEST_AT = os.environ.get("PORTAL_VALIDATION_DIGEST_AT", "07:30")

# --- The portal -----------------------------------------------------------------------------

PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PORTAL_INSTITUTION_NAME = os.environ.get("PORTAL_INSTITUTION_NAME", "City University of Hong Kong")
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "CityU Scholars")
# Where the institution is and its Ringgold id: the employment the ORCID export writes.
PORTAL_INSTITUTION_CITY = os.environ.get("PORTAL_INSTITUTION_CITY", "Kowloon")
PORTAL_INSTITUTION_COUNTRY = os.environ.get("PORTAL_INSTITUTION_COUNTRY", "HK")
PORTAL_INSTITUTION_RINGGOLD = os.environ.get("PORTAL_INSTITUTION_RINGGOLD", "53025")
PORTAL_INSTITUTION_WEBSITE = os.environ.get(
    "PORTAL_INSTITUTION_WEBSITE", "https://www.cityu.edu.hk"
)
# The disambiguated ids of the other organisations the ORCID export names (funders, granting
# bodies, societies), keyed by the name as the portal spells it; ORCID refuses an affiliation or
# funding without one, so items of an organisation missing here stay off ORCID.
ORCID_ORGANIZATION_IDS = organization_ids_file("ORCID_ORGANIZATION_IDS_FILE")
PORTAL_OUTPUTS_PER_PAGE = int(os.environ.get("PORTAL_OUTPUTS_PER_PAGE", "25"))

# Where the portal links a person's identifiers to. They point at the sandboxes by default; a
# deployment sets the real registries here.
ORCID_WEB_URL = os.environ.get("ORCID_WEB_URL", "http://127.0.0.1:8001")
SCOPUS_WEB_URL = os.environ.get("SCOPUS_WEB_URL", "http://127.0.0.1:8002")

# The portal's ORCID member client. The defaults are the demo client that `seed-demo` registers
# in the ORCID sandbox; a deployment sets the credentials ORCID issued to the institution.
ORCID_CLIENT_ID = os.environ.get("ORCID_CLIENT_ID", "APP-SCHOLARHUBDEMO01")
ORCID_CLIENT_SECRET = os.environ.get("ORCID_CLIENT_SECRET", "scholarhub-demo-portal-secret")
ORCID_REDIRECT_URI = os.environ.get(
    "ORCID_REDIRECT_URI", f"{PORTAL_BASE_URL}/backend/orcid/callback"
)
# ORCID's member API (https://api.orcid.org/v3.0 in production), where the export writes.
ORCID_API_URL = os.environ.get("ORCID_API_URL", "http://127.0.0.1:8001/api/v3.0")
# The export's pace across the whole process: requests per second and burst, kept under ORCID's
# 24/s and 40; and how often one call is retried after 429, 5xx or a timeout.
ORCID_EXPORT_RATE = float(os.environ.get("ORCID_EXPORT_RATE", "20"))
ORCID_EXPORT_BURST = int(os.environ.get("ORCID_EXPORT_BURST", "40"))
ORCID_EXPORT_RETRIES = int(os.environ.get("ORCID_EXPORT_RETRIES", "3"))
# Records exported at once, sharing the one token bucket (the pace stays the bucket's).
ORCID_EXPORT_WORKERS = int(os.environ.get("ORCID_EXPORT_WORKERS", "1"))
# The nightly export visits only the records that changed, except on this day of the week
# (English name), when it compares every record item by item.
ORCID_EXPORT_FULL_DAY = os.environ.get("ORCID_EXPORT_FULL_DAY", "sunday")
# How long one ORCID call may wait for its answer.
ORCID_TIMEOUT_SECONDS = float(os.environ.get("ORCID_TIMEOUT_SECONDS", "20"))
# Fernet key (urlsafe base64 of 32 bytes) that encrypts researchers' ORCID tokens at rest.
# Empty: derived from SCHOLARHUB_SECRET_KEY, so changing that key makes stored tokens unreadable.
ORCID_TOKEN_KEY = os.environ.get("ORCID_TOKEN_KEY", "")
# Panels the apps built on the portal add to its pages: callables (request, person) -> HTML.
PORTAL_PANELS = {
    "edit-profile": ["orcid_connector.panels.orcid_panel", "scopus_connector.panels.scopus_panel"],
    "backend-home": ["exercise.panels.exercise_panel"],
    "home": ["exercise.panels.guide_panel"],
    "my-outputs": [
        "scopus_connector.importing.import_panel",
        "orcid_connector.importing.import_panel",
    ],
}

# The Scopus APIs the portal reads (https://api.elsevier.com/content in production) and its key.
# Without a key, the demo key the Scopus sandbox's seed-demo wrote to var/demo is used.
SCOPUS_API_URL = os.environ.get("SCOPUS_API_URL", "http://127.0.0.1:8002/content")
SCOPUS_API_KEY = os.environ.get("SCOPUS_API_KEY", "")
# The institution's Scopus affiliation ids (AF-ID, comma-separated): a Scopus profile whose
# affiliation history holds one of them is evidence that the Author ID is the researcher's.
PORTAL_INSTITUTION_AFIDS = [
    afid.strip()
    for afid in os.environ.get("PORTAL_INSTITUTION_AFIDS", "60008592").split(",")
    if afid.strip()
]

# --- ORCID sandbox --------------------------------------------------------------------------

ORCID_SANDBOX_BASE_URL = os.environ.get("ORCID_SANDBOX_BASE_URL", "http://127.0.0.1:8001")
# ORCID's API rate limit: requests per second per client and the burst above it (0 = no limit).
ORCID_SANDBOX_RATE_LIMIT = float(os.environ.get("ORCID_SANDBOX_RATE_LIMIT", "24"))
ORCID_SANDBOX_RATE_BURST = int(os.environ.get("ORCID_SANDBOX_RATE_BURST", "40"))
# Injected faults, as fractions of API calls (0 to 1), for testing clients' retries.
ORCID_SANDBOX_FAULT_500 = float(os.environ.get("ORCID_SANDBOX_FAULT_500", "0"))
ORCID_SANDBOX_FAULT_503 = float(os.environ.get("ORCID_SANDBOX_FAULT_503", "0"))
ORCID_SANDBOX_FAULT_SLOW = float(os.environ.get("ORCID_SANDBOX_FAULT_SLOW", "0"))
ORCID_SANDBOX_FAULT_SLOW_SECONDS = float(os.environ.get("ORCID_SANDBOX_FAULT_SLOW_SECONDS", "5"))
# Writes holding this text are refused whole with a 400, as ORCID refuses text it cannot take
# (empty: off); the fault soak benchmark uses it.
ORCID_SANDBOX_REFUSE_TEXT = os.environ.get("ORCID_SANDBOX_REFUSE_TEXT", "")

# --- Scopus sandbox -------------------------------------------------------------------------

SCOPUS_SANDBOX_BASE_URL = os.environ.get("SCOPUS_SANDBOX_BASE_URL", "http://127.0.0.1:8002")
# The Scopus sandbox is an ORCID member client ("Scopus - Elsevier") with ORCID's legacy iD-shaped
# client id; the demo secret is registered in the ORCID sandbox by `seed-demo`.
SCOPUS_SANDBOX_ORCID_CLIENT_ID = os.environ.get(
    "SCOPUS_SANDBOX_ORCID_CLIENT_ID", "0000-0002-5982-8983"
)
SCOPUS_SANDBOX_ORCID_CLIENT_SECRET = os.environ.get(
    "SCOPUS_SANDBOX_ORCID_CLIENT_SECRET", "scopus-sandbox-demo-secret"
)
# The Author Feedback team's delay before queued corrections apply ("24 – 48 hours").
SCOPUS_SANDBOX_FEEDBACK_DELAY_HOURS = int(
    os.environ.get("SCOPUS_SANDBOX_FEEDBACK_DELAY_HOURS", "24")
)
# Fernet key (urlsafe base64 of 32 bytes) encrypting the ORCID tokens the Scopus sandbox holds.
# Empty: derived from SCHOLARHUB_SECRET_KEY for this purpose only (never the portal's key).
SCOPUS_SANDBOX_TOKEN_KEY = os.environ.get("SCOPUS_SANDBOX_TOKEN_KEY", "")
# The ORCID the wizard talks to: the sign-in/OAuth base and the member API base.
SCOPUS_SANDBOX_ORCID_BASE_URL = os.environ.get(
    "SCOPUS_SANDBOX_ORCID_BASE_URL", "http://127.0.0.1:8001"
)
SCOPUS_SANDBOX_ORCID_API_URL = os.environ.get(
    "SCOPUS_SANDBOX_ORCID_API_URL", "http://127.0.0.1:8001/api/v3.0"
)
# Documents in the demo crowd `seed-demo` indexes around the cast (tests may want fewer).
SCOPUS_SANDBOX_DEMO_CROWD = int(os.environ.get("SCOPUS_SANDBOX_DEMO_CROWD", "20000"))
# Weekly quota per API of keys made by `create-api-key` and the demo key.
SCOPUS_SANDBOX_DEFAULT_QUOTA = int(os.environ.get("SCOPUS_SANDBOX_DEFAULT_QUOTA", "20000"))

# --- Content-Security-Policy (django-csp) ---------------------------------------------------
# Every response of the three services: scripts, styles and everything else from the service
# itself only (no inline script or style, no other host), never framed. Forms may post to the
# service itself, and to where the OAuth flows must then redirect (Chromium applies form-action
# to the redirects after a form post): the portal's "Connect your ORCID iD" and the Scopus
# wizard's "Sign In" go on to ORCID's authorize page; ORCID's sign-in and "Authorize" go back to
# the client's redirect URI, which orcid_sandbox.csp adds page by page for that client alone.


def origin(url: str) -> str:
    """scheme://host[:port] of a URL: what a CSP source expression names."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CSP_FORM_TARGETS = {
    "portal": [origin(ORCID_WEB_URL)],
    "orcid": [],
    "scopus": [origin(SCOPUS_SANDBOX_ORCID_BASE_URL)],
}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *CSP_FORM_TARGETS[SCHOLARHUB_SERVICE]],
    },
}
