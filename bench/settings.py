"""Benchmark settings: the real settings plus the benchmark record table."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchapp"]
MIGRATION_MODULES = {"benchapp": "bench.benchapp.migrations"}
ROOT_URLCONF = "bench.urls"

# The floors (/bench/ping, /bench/insert) take the path of the public requests they are the floor
# of: anonymous, without the signed-in middleware.
from config.settings import LANTOA_PUBLIC_PATHS  # noqa: E402

LANTOA_PUBLIC_PATHS = [*LANTOA_PUBLIC_PATHS, "/bench/"]
