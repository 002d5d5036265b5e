from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "lantoa.judging"
    label = "judging"
    verbose_name = _("Judged contests")

    def ready(self) -> None:
        from lantoa.judging import registrations  # noqa: F401
