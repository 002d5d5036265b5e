from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "lantoa.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from lantoa.org import defaults, registrations  # noqa: F401  (defaults: the kind seeds)
