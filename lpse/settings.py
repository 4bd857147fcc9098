"""One settings module for every environment, read from environment variables.

Defaults give the embedded single-machine setup (SQLite, local files, SqliteHuey,
e-mails written to files). Production differences come from variables, never
from another settings file. A malformed value stops start-up with a message that
names the variable (GEN-2).
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
TESTING = "pytest" in sys.modules


def env(name: str, default: str = "") -> str:
    """A string variable; NAME_FILE (a path) wins over NAME for secrets."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path}: {exc}") from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no), not {value!r}")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _url(name: str, value: str, schemes: set[str]):
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name} must look like {sorted(schemes)[0]}://host[:port], not {value!r}"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port: {value!r}") from None
    return parts


# --- Data directory: database, files, queue, mail, secret key ----------------
# In a source checkout the data lives in <checkout>/var whatever the working
# directory, so `./run` and `.venv/bin/lpse` always see the same data.
_checkout = BASE_DIR.parent
_default_data_dir = (
    tempfile.mkdtemp(prefix="lpse-test-")
    if TESTING
    else str(_checkout / "var" if (_checkout / "pyproject.toml").exists() else Path("var"))
)
DATA_DIR = Path(env("LPSE_DATA_DIR", _default_data_dir)).resolve()
try:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise ImproperlyConfigured(f"LPSE_DATA_DIR: cannot create {DATA_DIR}: {exc}") from exc


def _secret_key() -> str:
    key = env("LPSE_SECRET_KEY")
    if key:
        if len(key) < 50:
            raise ImproperlyConfigured("LPSE_SECRET_KEY must be at least 50 characters long")
        return key
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Created once, readable by the owner only; kept with the data it protects.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("LPSE_DEBUG", False)
ALLOWED_HOSTS = envlist("LPSE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("LPSE_CSRF_TRUSTED_ORIGINS")
SITE_URL = env("LPSE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_url("LPSE_SITE_URL", SITE_URL, {"http", "https"})

# --- Identity of the service unit (letterheads, e-mails, pages) -------------
LPSE_NAME = env("LPSE_NAME", "LPSE Kabupaten Tangerang")
LPSE_PARENT = env("LPSE_PARENT", "Pemerintah Kabupaten Tangerang")
LPSE_ADDRESS = env(
    "LPSE_ADDRESS", "Jl. H. Somawinata No. 1, Tigaraksa, Kabupaten Tangerang, Banten 15720"
)
LPSE_PHONE = env("LPSE_PHONE")  # no default: we will not print a number nobody answers
LPSE_EMAIL = env("LPSE_EMAIL", "lpse@tangerangkab.go.id")
LPSE_WEBSITE = env("LPSE_WEBSITE", "https://lpse.tangerangkab.go.id")

# --- Sealed bids: the LPSE certificate authority (BID-2, BID-4) -------------------
# The CA that certifies tender keys and signs bid receipts; created on first use.
LPSE_CA_DIR = Path(env("LPSE_CA_DIR", str(DATA_DIR / "ca"))).resolve()
# Encrypts the CA's private key file when set (or LPSE_CA_KEY_PASSPHRASE_FILE, a path).
LPSE_CA_KEY_PASSPHRASE = env("LPSE_CA_KEY_PASSPHRASE")

# --- Applications ---------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "huey.contrib.djhuey",
    "lpse.core",
    "lpse.audit",
    "lpse.accounts",
    "lpse.sop",
    "lpse.vendors",
    "lpse.tenders",
    "lpse.desk",
    "lpse.training",
    "lpse.bids",
    "lpse.backups",
    "lpse.facility",
    "lpse.ops",
    "lpse.reports",
    "lpse.api",
    "ninja",  # the API docs page's Swagger UI files, served locally
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lpse.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Messages before the session limits: expiry tells the user why they must log in again.
    "django.contrib.messages.middleware.MessageMiddleware",
    "lpse.accounts.middleware.StaffSessionMiddleware",
    "lpse.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Maintenance windows: read-only mode refuses writes with a 503 page (MON-5).
    "lpse.facility.middleware.MaintenanceMiddleware",
]

ROOT_URLCONF = "lpse.urls"
WSGI_APPLICATION = "lpse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lpse.core.context_processors.lpse",
                "lpse.facility.context_processors.maintenance",
            ],
        },
    },
]

# --- Database: SQLite in WAL mode by default, anything via DATABASE_URL -------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    import dj_database_url

    if urlsplit(DATABASE_URL).scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be postgres://... or sqlite:///..., not {DATABASE_URL!r}"
        )
    try:
        _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "lpse.sqlite3"}

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # IMMEDIATE: writers queue on the lock instead of failing half-way.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Task queue: SqliteHuey under the data dir, RedisHuey with REDIS_URL -------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    _url("REDIS_URL", REDIS_URL, {"redis", "rediss"})
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "lpse",
        "url": REDIS_URL,
        "immediate": TESTING,
        "utc": True,
        "consumer": {"workers": envint("LPSE_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "lpse",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
        "immediate": TESTING,
        "utc": True,
        "consumer": {"workers": envint("LPSE_WORKERS", 2, minimum=1), "worker_type": "thread"},
    }

# --- Caches and sessions (nothing in-process that breaks with two servers) -----
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lpse_cache",
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth (SEC-2) ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Speed only: the suite creates thousands of users. SEC-2's test checks Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Two-factor: staff roles must use TOTP. Turning it off is for local evaluation only;
# `check --deploy` warns when it is off.
LPSE_REQUIRE_2FA = envbool("LPSE_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = LPSE_NAME

# Staff sessions: 30 minutes idle, 12 hours at most (OWASP ASVS 3.3).
LPSE_STAFF_IDLE_SECONDS = envint("LPSE_STAFF_IDLE_MINUTES", 30, minimum=1) * 60
LPSE_STAFF_MAX_SECONDS = envint("LPSE_STAFF_MAX_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = envint("LPSE_SESSION_HOURS", 12, minimum=1) * 3600

# Lockout: user name and client address together, so nobody can lock out a
# real user from elsewhere; cool-off then the counter resets.
AXES_FAILURE_LIMIT = envint("LPSE_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = envint("LPSE_LOCKOUT_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders the template above with the time to retry (in WIB).
AXES_LOCKOUT_CALLABLE = "lpse.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Client address behind a configurable number of trusted reverse proxies.
LPSE_TRUSTED_PROXIES = envint("LPSE_TRUSTED_PROXIES", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "lpse.core.net.client_ip"

# --- Mail: SMTP_URL, else files under the data dir --------------------------------
SMTP_URL = env("SMTP_URL")
DEFAULT_FROM_EMAIL = env("LPSE_FROM_EMAIL", f"{LPSE_NAME} <noreply@lpse.tangerangkab.go.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if SMTP_URL:
    _smtp = _url("SMTP_URL", SMTP_URL, {"smtp", "smtps", "smtp+starttls"})
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp.hostname
    EMAIL_PORT = _smtp.port or (465 if _smtp.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_smtp.username or "")
    EMAIL_HOST_PASSWORD = unquote(_smtp.password or "")
    EMAIL_USE_SSL = _smtp.scheme == "smtps"
    EMAIL_USE_TLS = _smtp.scheme == "smtp+starttls"
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- Language and time (GEN-1) -------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"  # shown in WIB; stored in UTC (USE_TZ)
USE_TZ = True

# --- Working calendar (SOP-4) ---------------------------------------------------------
LPSE_WORKING_HOURS = env("LPSE_WORKING_HOURS", "08:00-16:00")
LPSE_VERIFICATION_HOURS = env("LPSE_VERIFICATION_HOURS", "09:00-15:00")

# --- Files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if TESTING:
    STATIC_ROOT.mkdir(exist_ok=True)  # tests serve from the finders; whitenoise wants the dir
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("LPSE_MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
LPSE_MAX_UPLOAD_MB = envint("LPSE_MAX_UPLOAD_MB", 20, minimum=1)  # one uploaded document (SEC-3)

# --- Vendor registration (REG-1..REG-5) -------------------------------------------------
LPSE_CONFIRMATION_HOURS = envint("LPSE_CONFIRMATION_HOURS", 48, minimum=1)
LPSE_VERIFICATION_REMINDER_DAYS = envint("LPSE_VERIFICATION_REMINDER_DAYS", 2, minimum=0)
LPSE_ACTIVATION_DAYS = envint("LPSE_ACTIVATION_DAYS", 7, minimum=1)

# --- Tenders and schedule changes (BID-1, BID-6, ERR-3) ---------------------------------------
#: The bid upload stage lasts at least this many working days (checked on every schedule save
#: and on every schedule change; a running upload stage is never cut below it).
LPSE_MIN_UPLOAD_WORKING_DAYS = envint("LPSE_MIN_UPLOAD_WORKING_DAYS", 3, minimum=0)
#: The first tender code handed out (codes are numeric strings, counted up from here).
LPSE_TENDER_CODE_START = envint("LPSE_TENDER_CODE_START", 10000001, minimum=1)
#: Version label of the integrity pact text a vendor accepts when joining a tender (BID-1).
LPSE_INTEGRITY_PACT_VERSION = env("LPSE_INTEGRITY_PACT_VERSION", "2026-1")

# --- Public tender data: OCDS and SPSE-compatible pages (BID-5) ------------------------
# OCIDs are "<prefix>-<tender code>". A publisher registers its prefix ("ocds-" and six
# characters) with the Open Contracting Partnership; until one is set, the OCIDs use the
# host name of LPSE_SITE_URL, which is unique to this LPSE but says it is not registered.
LPSE_OCDS_OCID_PREFIX = env("LPSE_OCDS_OCID_PREFIX").strip().rstrip("-")
if LPSE_OCDS_OCID_PREFIX and not re.fullmatch(r"ocds-[a-z0-9]{6}", LPSE_OCDS_OCID_PREFIX):
    raise ImproperlyConfigured(
        "LPSE_OCDS_OCID_PREFIX must be a prefix registered with the Open Contracting Partnership, "
        f"like ocds-a1b2c3 (ocds- and six letters/digits), not {LPSE_OCDS_OCID_PREFIX!r}"
    )
# Largest period of one OCDS release package download (the package streams either way).
LPSE_OCDS_MAX_DAYS = envint("LPSE_OCDS_MAX_DAYS", 366, minimum=1)
LPSE_PUBLIC_PAGE_SIZE = envint("LPSE_PUBLIC_PAGE_SIZE", 25, minimum=5)
# --- Helpdesk (DESK-1..4, ERR-4) ---------------------------------------------------------------
LPSE_DESK_EMAIL = env("LPSE_DESK_EMAIL", LPSE_EMAIL)  # replies come back here
LPSE_DESK_TARGET_HOURS = envint("LPSE_DESK_TARGET_HOURS", 8, minimum=1)  # working hours to answer
LPSE_DESK_MAILDIR = env("LPSE_DESK_MAILDIR")  # a Maildir the mail server delivers into
LPSE_DESK_IMAP_URL = env("LPSE_DESK_IMAP_URL")  # imaps://user:pass@host:993/INBOX
if LPSE_DESK_IMAP_URL:
    _url("LPSE_DESK_IMAP_URL", LPSE_DESK_IMAP_URL, {"imaps", "imap+starttls", "imap"})
LPSE_DESK_MAIL_MINUTES = envint("LPSE_DESK_MAIL_MINUTES", 5, minimum=1)
if 60 % LPSE_DESK_MAIL_MINUTES:
    raise ImproperlyConfigured(
        f"LPSE_DESK_MAIL_MINUTES must divide 60 (1, 2, 5, 10, 15, 30), not {LPSE_DESK_MAIL_MINUTES}"
    )
LPSE_SUPPORT_GRANT_HOURS = envint("LPSE_SUPPORT_GRANT_HOURS", 2, minimum=1)
LPSE_SUPPORT_GRANT_MAX_HOURS = envint("LPSE_SUPPORT_GRANT_MAX_HOURS", 8, minimum=1)
if LPSE_SUPPORT_GRANT_HOURS > LPSE_SUPPORT_GRANT_MAX_HOURS:
    raise ImproperlyConfigured(
        "LPSE_SUPPORT_GRANT_HOURS must not exceed LPSE_SUPPORT_GRANT_MAX_HOURS"
    )
# --- Sealed bids: submission, receipts, keys and opening (BID-2, BID-4) -----------------------
#: Sealed bids, their temporary uploads and the opened plaintext (committee-only) live here.
LPSE_BIDS_DIR = Path(env("LPSE_BIDS_DIR", str(DATA_DIR / "bids"))).resolve()
#: Largest bid (plaintext for browser uploads, the envelope for pre-sealed ones), per tender
#: unless the committee sets a smaller or larger limit on the tender's key page.
LPSE_BID_MAX_MB = envint("LPSE_BID_MAX_MB", 200, minimum=1)
#: Unfinished resumable uploads and temporary files older than this are removed by cleanup.
LPSE_BID_STALE_HOURS = envint("LPSE_BID_STALE_HOURS", 24, minimum=1)
#: Validity of a tender certificate issued by the LPSE CA, in days.
LPSE_TENDER_CERT_DAYS = envint("LPSE_TENDER_CERT_DAYS", 365, minimum=1)
#: Bench only (bench/bid_rush.py): enables a plain file-sink endpoint to compare against.
LPSE_BENCH_SINK = envbool("LPSE_BENCH_SINK", False)
# --- Failed openings and the witness report (ERR-1, SOP 3.1, Pasal 9(2)) ---------------------
#: LKPP's address for files the LPSE could not open (SOP 3.1 step 3); empty: typed each time.
LPSE_LKPP_EMAIL = env("LPSE_LKPP_EMAIL")
#: Number of the Berita Acara Kesaksian: {seq} (per-year sequence) and {year}.
LPSE_WITNESS_REPORT_NUMBER = env("LPSE_WITNESS_REPORT_NUMBER", "{seq:03d}/BAK/LPSE/{year}")
try:
    _one = LPSE_WITNESS_REPORT_NUMBER.format(seq=1, year=2026)
    _two = LPSE_WITNESS_REPORT_NUMBER.format(seq=2, year=2026)
except (KeyError, IndexError, ValueError) as exc:
    raise ImproperlyConfigured(
        f"LPSE_WITNESS_REPORT_NUMBER must use only {{seq}} and {{year}}: {exc}"
    ) from None
if _one == _two:
    raise ImproperlyConfigured("LPSE_WITNESS_REPORT_NUMBER must contain {seq}")
#: Files larger than this are not attached to the LKPP e-mail (their fingerprints are listed).
LPSE_LKPP_ATTACH_MAX_MB = envint("LPSE_LKPP_ATTACH_MAX_MB", 20, minimum=1)
# --- Training (TRN-1..TRN-4) and official letters ----------------------------------------------
# The head's signature block; without LPSE_HEAD_NAME the active head's name in the system is used.
LPSE_HEAD_NAME = env("LPSE_HEAD_NAME")
LPSE_HEAD_NIP = env("LPSE_HEAD_NIP")
LPSE_HEAD_TITLE = env("LPSE_HEAD_TITLE", f"Kepala {LPSE_NAME}")
LPSE_LETTER_PLACE = env("LPSE_LETTER_PLACE", "Tigaraksa")
LPSE_TRAINING_REPLY_NUMBER = env("LPSE_TRAINING_REPLY_NUMBER", "{seq:03d}/SJ-PLT/LPSE/{year}")
LPSE_TRAINING_ASSIGNMENT_NUMBER = env(
    "LPSE_TRAINING_ASSIGNMENT_NUMBER", "{seq:03d}/ST-PLT/LPSE/{year}"
)
for _name in ("LPSE_TRAINING_REPLY_NUMBER", "LPSE_TRAINING_ASSIGNMENT_NUMBER"):
    _template = globals()[_name]
    try:
        _one, _two = _template.format(seq=1, year=2026), _template.format(seq=2, year=2026)
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"{_name} must use only {{seq}} and {{year}}, e.g. {{seq:03d}}/SJ/{{year}}: {exc}"
        ) from None
    if _one == _two or "{seq" not in _template:
        raise ImproperlyConfigured(f"{_name} must contain {{seq}} so that numbers differ")

# --- Backups (BAK-1..BAK-3; Pasal 14, Lampiran VI) --------------------------------------------
#: Where the scheduled backup goes: a mounted path (USB disk, network share). Empty: the
#: scheduled task records "not configured" and the monitoring probe alerts.
LPSE_BACKUP_TARGET = env("LPSE_BACKUP_TARGET")
#: Label of the medium at LPSE_BACKUP_TARGET, as written on it (the register's name for it).
LPSE_BACKUP_LABEL = env("LPSE_BACKUP_LABEL")
#: Hours between scheduled backups (each one verified right after).
LPSE_BACKUP_INTERVAL_HOURS = envint("LPSE_BACKUP_INTERVAL_HOURS", 24, minimum=1)
#: Older than this, the last verified backup is overdue (the regulation: 7 x 24 hours).
LPSE_BACKUP_MAX_AGE_HOURS = envint("LPSE_BACKUP_MAX_AGE_HOURS", 168, minimum=1)
#: Retention per medium, applied after each scheduled backup (last/daily/weekly/monthly/yearly).
LPSE_BACKUP_KEEP = env("LPSE_BACKUP_KEEP", "daily=7,weekly=4,monthly=12")
#: Scheduled backups encrypted to this RSA public key or certificate (PEM path); empty: plain.
LPSE_BACKUP_PUBLIC_KEY_FILE = env("LPSE_BACKUP_PUBLIC_KEY_FILE")
#: More directories to back up besides MEDIA_ROOT and the sealed bids (comma-separated paths).
LPSE_BACKUP_EXTRA_DIRS = envlist("LPSE_BACKUP_EXTRA_DIRS")
try:
    from lpse.backups.keep import parse_keep as _parse_keep

    _parse_keep(LPSE_BACKUP_KEEP)
except ValueError as exc:
    raise ImproperlyConfigured(f"LPSE_BACKUP_KEEP: {exc}") from None
# --- Facility: maintenance windows, checklists, server room, environment (MON-5, MNT-1, INF-1..3)
#: Hours before a maintenance window that its banner starts showing (default per window).
LPSE_MAINTENANCE_BANNER_HOURS = envint("LPSE_MAINTENANCE_BANNER_HOURS", 48, minimum=0)
#: URL names (or "namespace:" prefixes) of bid upload endpoints. During a read-only window a
#: POST to one of them is let through when its tender's bid upload stage ends in the window.
LPSE_MAINTENANCE_BID_UPLOAD_URLS = envlist(
    "LPSE_MAINTENANCE_BID_UPLOAD_URLS",
    "bids:upload,bids:tus_create,bids:tus_upload,api:bid_upload_create",
)
#: Days between two Lampiran V maintenance cycles (MNT-1); each is due in 7 working days.
LPSE_MAINTENANCE_CYCLE_DAYS = envint("LPSE_MAINTENANCE_CYCLE_DAYS", 7, minimum=1)
LPSE_MAINTENANCE_EFFECTIVE_DAYS = envint("LPSE_MAINTENANCE_EFFECTIVE_DAYS", 7, minimum=1)
#: Server-room climate bounds of Lampiran IV 4.1 butir 4: 22 +/- 2 C, RH 50 +/- 5 % (INF-3).
LPSE_ENV_TEMPERATURE = envint("LPSE_ENV_TEMPERATURE", 22)
LPSE_ENV_TEMPERATURE_TOLERANCE = envint("LPSE_ENV_TEMPERATURE_TOLERANCE", 2, minimum=1)
LPSE_ENV_HUMIDITY = envint("LPSE_ENV_HUMIDITY", 50, minimum=0)
LPSE_ENV_HUMIDITY_TOLERANCE = envint("LPSE_ENV_HUMIDITY_TOLERANCE", 5, minimum=1)
#: UPS battery charge (%) under which a warning / a critical incident opens.
LPSE_ENV_UPS_WARNING = envint("LPSE_ENV_UPS_WARNING", 50, minimum=0)
LPSE_ENV_UPS_CRITICAL = envint("LPSE_ENV_UPS_CRITICAL", 20, minimum=0)
if LPSE_ENV_UPS_CRITICAL >= LPSE_ENV_UPS_WARNING or LPSE_ENV_UPS_WARNING > 100:
    raise ImproperlyConfigured(
        "LPSE_ENV_UPS_CRITICAL must be below LPSE_ENV_UPS_WARNING, both percentages (0-100)"
    )
#: Readings one sensor may push per minute; more answer 429.
LPSE_SENSOR_READINGS_PER_MINUTE = envint("LPSE_SENSOR_READINGS_PER_MINUTE", 120, minimum=1)
# --- Operations console: probes, incidents, metrics (MON-1..MON-4, MON-6, MON-7) ----------------
#: The public site the website probe checks (its page and /healthz); this server by default.
LPSE_OPS_WEBSITE_URL = env("LPSE_OPS_WEBSITE_URL", SITE_URL).rstrip("/")
_url("LPSE_OPS_WEBSITE_URL", LPSE_OPS_WEBSITE_URL, {"http", "https"})
#: A CA bundle (PEM) that signed the site's certificate, for an internal CA; default: system CAs.
LPSE_OPS_TLS_CA_FILE = env("LPSE_OPS_TLS_CA_FILE")
if LPSE_OPS_TLS_CA_FILE and not Path(LPSE_OPS_TLS_CA_FILE).is_file():
    raise ImproperlyConfigured(f"LPSE_OPS_TLS_CA_FILE: no such file {LPSE_OPS_TLS_CA_FILE}")
#: Outbound connectivity targets (Pasal 12(3)), comma-separated URLs; none by default.
LPSE_OPS_OUTBOUND_URLS = envlist("LPSE_OPS_OUTBOUND_URLS")
for _target in LPSE_OPS_OUTBOUND_URLS:
    _url("LPSE_OPS_OUTBOUND_URLS", _target, {"http", "https"})
#: Filesystems (any path on them) the host probe watches; empty = every mounted disk.
LPSE_OPS_FILESYSTEMS = envlist("LPSE_OPS_FILESYSTEMS")
#: Seconds after which a probe's HTTP/SMTP/TCP check gives up.
LPSE_OPS_TIMEOUT_SECONDS = envint("LPSE_OPS_TIMEOUT_SECONDS", 10, minimum=1)
#: A PostgreSQL transaction running or idle this long counts as long-running (V.1.c).
LPSE_OPS_LONG_TRANSACTION_SECONDS = envint("LPSE_OPS_LONG_TRANSACTION_SECONDS", 300, minimum=1)
#: Raw samples are kept this many days, then averaged per hour; hourly ones this long.
LPSE_OPS_RAW_DAYS = envint("LPSE_OPS_RAW_DAYS", 30, minimum=1)
LPSE_OPS_HOURLY_DAYS = envint("LPSE_OPS_HOURLY_DAYS", 730, minimum=1)
#: Open incidents are e-mailed again after this many minutes without news.
LPSE_OPS_REMINDER_MINUTES = envint("LPSE_OPS_REMINDER_MINUTES", 60, minimum=5)
#: The capacity report flags a filesystem projected to fill within this many days.
LPSE_CAPACITY_CRITICAL_DAYS = envint("LPSE_CAPACITY_CRITICAL_DAYS", 30, minimum=1)
#: The task-queue consumer counts as dead when its heartbeat is older than this.
LPSE_OPS_HEARTBEAT_SECONDS = envint("LPSE_OPS_HEARTBEAT_SECONDS", 180, minimum=60)
#: /healthz and /readyz answer first: load balancers call servers by IP and over plain HTTP.
MIDDLEWARE.insert(0, "lpse.ops.middleware.HealthCheckMiddleware")

# --- Security headers (SEC-4) ---------------------------------------------------------------
HTTPS = SITE_URL.startswith("https://")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if LPSE_TRUSTED_PROXIES else None
SECURE_SSL_REDIRECT = HTTPS and envbool("LPSE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Logging: to stderr, the process manager keeps it ------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env("LPSE_LOG_LEVEL", "INFO")},
    # The huey consumer installs its own handler on "huey"; don't print twice.
    "loggers": {"axes": {"level": "WARNING"}, "huey": {"level": "INFO", "propagate": False}},
}


# --- JSON API (GEN-3) ------------------------------------------------------------
def _rate(name: str, default: str) -> str:
    value = env(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must look like 120/m (requests per s, m, h or d)")
    return value


#: Requests per client address without a token, and per token, before 429.
LPSE_API_RATE_ANON = _rate("LPSE_API_RATE_ANON", "120/m")
LPSE_API_RATE_TOKEN = _rate("LPSE_API_RATE_TOKEN", "600/m")
