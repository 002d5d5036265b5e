from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "lantoa.library"
    label = "library"
    verbose_name = _("Document library")

    def ready(self) -> None:
        from lantoa.library import defaults, public_cache, registrations  # noqa: F401  (defaults: the kind seeds)

        public_cache.connect()
