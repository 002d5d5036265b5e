"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

# As in config/wsgi.py: the URLconf loaded and the objects of start-up frozen before any request.
from lantoa.core.startup import warm_up  # noqa: E402

warm_up()
