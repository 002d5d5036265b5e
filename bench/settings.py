"""Benchmark settings: the real settings plus the benchmark record table."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchapp"]
MIGRATION_MODULES = {"benchapp": "bench.benchapp.migrations"}
ROOT_URLCONF = "bench.urls"
