"""Registries that modules fill from their ``AppConfig.ready`` (via a ``registrations`` module).

* Navigation: each module adds its entry to the main menu.
* "My work": each module contributes pending items to the home page.

The indicator registry (used by the rollup and reports) joins these here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # a lazy translation
    url_name: str
    order: int = 100
    capability: str = "view_units"


@dataclass(frozen=True)
class WorkItem:
    """One pending thing on the home page: a title, where to go, and an optional count."""

    title: str
    url: str
    count: int | None = None
    module: str = ""
    detail: str = ""


WorkProvider = Callable[[Any, Any], list[WorkItem]]  # (user, current unit or None) -> items


@dataclass
class _Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    work: dict[str, WorkProvider] = field(default_factory=dict)


_registry = _Registry()


def register_nav(item: NavItem) -> None:
    _registry.nav[item.key] = item


def nav_items() -> list[NavItem]:
    return sorted(_registry.nav.values(), key=lambda item: (item.order, item.key))


def register_my_work(key: str, provider: WorkProvider) -> None:
    _registry.work[key] = provider


def my_work_items(user: Any, unit: Any) -> list[WorkItem]:
    items: list[WorkItem] = []
    for key in sorted(_registry.work):
        items.extend(_registry.work[key](user, unit))
    return items
