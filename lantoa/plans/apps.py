from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lantoa.plans"
    label = "plans"
    verbose_name = _("Action programmes and recommendations")

    def ready(self) -> None:
        from lantoa.plans import registrations  # noqa: F401
