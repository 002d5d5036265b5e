"""WSGI entry point for production servers (gunicorn, uWSGI)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# After the application is set up: the worker's first visitor does not wait for the URLconf, and
# the objects of start-up stay out of the garbage collector's full collections.
from lantoa.core.startup import warm_up  # noqa: E402

warm_up()
