from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "lantoa.meetings"
    label = "meetings"
    verbose_name = _("Study conferences")

    def ready(self) -> None:
        from lantoa.meetings import defaults, public_cache, registrations  # noqa: F401  (defaults: the kind seeds)

        public_cache.connect()
