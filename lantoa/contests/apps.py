from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "lantoa.contests"
    label = "contests"
    verbose_name = _("Knowledge contests")

    def ready(self) -> None:
        from lantoa.contests import public_cache, registrations  # noqa: F401

        public_cache.connect()
