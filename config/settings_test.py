"""Settings for the test suite: the real settings with faster, deterministic parts."""

import os

# Tests run with DEBUG off, like production, so they need a key that is not the development one.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

from config.settings import *  # noqa: F403
from config.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]
LANTOA_2FA_REQUIRED_ROLES = ["administrator", "manager"]
AXES_FAILURE_LIMIT = 5
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Library files live in memory during tests (read and written only through the storage API).
STORAGES = {**STORAGES, "library": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
LANTOA_COUNTER_FLUSH_SECONDS = 0  # every count written at once; the counter tests turn buffering on
