"""Every schema the API documents has a name of its own. The OpenAPI document keeps one
component per class name: two different schemas named alike (two apps' ``VersionOut``) made the
second replace the first, so endpoints were documented — and checked by the fuzz tests — with
another app's shape."""

from __future__ import annotations

import json
import typing
from collections import defaultdict
from typing import Any

from pydantic import BaseModel

from lantoa.api.api import api


def _models_in(annotation: Any, found: set[type[BaseModel]], seen: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        if annotation.__module__.startswith("lantoa."):  # not ninja's wrappers of params and answers
            found.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, found, seen)
        return
    for argument in typing.get_args(annotation):
        _models_in(argument, found, seen)


def documented_models() -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set()
    seen: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _models_in(model, found, seen)
                for response in (operation.response_models or {}).values():
                    _models_in(response, found, seen)
    return found


def test_no_two_documented_schemas_share_a_name():
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in documented_models():
        by_name[model.__name__].add(json.dumps(model.model_json_schema(), sort_keys=True))
    assert len(by_name) > 80  # the walk reached the API's schemas
    clashes = sorted(name for name, shapes in by_name.items() if len(shapes) > 1)
    assert clashes == [], "rename one of each: the OpenAPI document keeps one schema per name"
