from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    name = "bench.benchapp"
    label = "benchapp"
    verbose_name = "Benchmarks"

    def ready(self) -> None:
        from bench.benchapp import registrations  # noqa: F401
