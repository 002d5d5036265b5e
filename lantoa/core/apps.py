from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lantoa.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core.checks import register

        from lantoa.core import registrations  # noqa: F401
        from lantoa.core.middleware import check_signed_in_middleware

        register(check_signed_in_middleware)
