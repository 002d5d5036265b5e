from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: the one place that knows every app, building the demo by calling each app's
    own ``demo`` module (docs/demo.md)."""

    name = "lantoa.demo"
    label = "demo"
    verbose_name = "Demo"
