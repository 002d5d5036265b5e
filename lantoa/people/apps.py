from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lantoa.people"
    label = "people"
    verbose_name = _("People and outreach network")

    def ready(self) -> None:
        from lantoa.people import defaults, registrations  # noqa: F401  (defaults: the kind seeds)
