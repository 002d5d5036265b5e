from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "lantoa.surveys"
    label = "surveys"
    verbose_name = _("Anonymous surveys")

    def ready(self) -> None:
        from lantoa.surveys import registrations  # noqa: F401
