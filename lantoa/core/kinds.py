"""The kinds that are data (unit kinds, document kinds, conference kinds, network roles, group
and activity kinds): one registry of the rows every deployment starts with.

Each app registers its seeds once, in its ``defaults`` module (imported by the app's
``ready``). The data migrations, the demo, the importers and the tests' restore fixture all
load them through :func:`seed_kinds`, which takes the model class (the real one, or the
historical one a migration gets from ``apps.get_model``) and creates the kinds whose code is
missing; rows that exist are left as a deployment edited them. A model whose seeds need more
than plain field values (a unit kind points at its tier) registers its own loader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class KindSeed:
    code: str
    name_vi: str
    name_en: str
    fields: Mapping[str, Any] = field(default_factory=dict)  # the model's own fields (e.g. ``tier_code``)


Loader = Callable[[Any, tuple[KindSeed, ...]], None]


@dataclass(frozen=True)
class _Entry:
    seeds: tuple[KindSeed, ...]
    ranked: bool
    load: Loader | None


_REGISTRY: dict[str, _Entry] = {}


def register_kind_seeds(
    model_label: str, seeds: Iterable[KindSeed], *, ranked: bool = True, load: Loader | None = None
) -> None:
    """Register the default kinds of ``model_label`` (``"app_label.ModelName"``), in the order
    they are listed (their rank, when ``ranked``). Registering the same seeds again is harmless."""
    rows = tuple(seeds)
    if model_label.count(".") != 1:
        raise ValueError(f"{model_label!r}: a model label is 'app_label.ModelName'")
    codes = [seed.code for seed in rows]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{model_label}: a kind code is registered twice")
    entry = _Entry(rows, ranked, load)
    if _REGISTRY.get(model_label, entry) != entry:
        raise ValueError(f"{model_label}: other seeds are registered already")
    _REGISTRY[model_label] = entry


def kind_seeds(model_label: str) -> tuple[KindSeed, ...]:
    return _REGISTRY[model_label].seeds


def seeded_models() -> list[str]:
    """The labels of every model with registered seeds."""
    return sorted(_REGISTRY)


def seed_defaults(seed: KindSeed, rank: int | None) -> dict[str, Any]:
    values = {"name_vi": seed.name_vi, "name_en": seed.name_en, **seed.fields}
    if rank is not None:
        values["rank"] = rank
    return values


def seed_kinds(model: Any) -> None:
    """Create the registered kinds of ``model`` that do not exist yet (by code); one query when
    none is missing."""
    entry = _REGISTRY[model._meta.label]
    if entry.load is not None:
        entry.load(model, entry.seeds)
        return
    present = set(model.objects.filter(code__in=[seed.code for seed in entry.seeds]).values_list("code", flat=True))
    missing = [
        model(code=seed.code, **seed_defaults(seed, rank if entry.ranked else None))
        for rank, seed in enumerate(entry.seeds, start=1)
        if seed.code not in present
    ]
    if missing:
        model.objects.bulk_create(missing, ignore_conflicts=True)


def unseed_kinds(model: Any) -> None:
    """Delete the registered kinds of ``model`` (a data migration's way back)."""
    model.objects.filter(code__in=[seed.code for seed in _REGISTRY[model._meta.label].seeds]).delete()


def seed_all_kinds(get_model: Callable[[str], Any]) -> None:
    """Seed every registered model; ``get_model`` maps a label to its class (``apps.get_model``)."""
    for label in seeded_models():
        seed_kinds(get_model(label))


__all__ = [
    "KindSeed",
    "kind_seeds",
    "register_kind_seeds",
    "seed_all_kinds",
    "seed_kinds",
    "seeded_models",
    "unseed_kinds",
]
