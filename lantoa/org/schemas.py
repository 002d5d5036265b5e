from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    tier: str
    is_territorial: bool
    opened_on: dt.date
    closed_on: dt.date | None

    @staticmethod
    def resolve_kind(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.kind.code

    @staticmethod
    def resolve_tier(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.kind.tier.code

    @staticmethod
    def resolve_is_territorial(obj) -> bool:  # type: ignore[no-untyped-def]
        return obj.kind.is_territorial


class AreaOut(Schema):
    level: str
    official_code: str
    area_name: str
    valid_from: dt.date
    valid_to: dt.date | None


class NameOut(Schema):
    name: str
    short_name: str
    valid_from: dt.date
    valid_to: dt.date | None


class ParentLinkOut(Schema):
    parent_code: str
    parent_name: str
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def resolve_parent_code(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.parent.code

    @staticmethod
    def resolve_parent_name(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.parent.name


class UnitDetailOut(UnitOut):
    parent_code: str | None = None
    area: AreaOut | None = None
    names: list[NameOut] = Field([], alias="names_history")
    parents: list[ParentLinkOut] = Field([], alias="parents_history")
    areas: list[AreaOut] = Field([], alias="areas_history")


class UnitListOut(Schema):
    items: list[UnitOut]
    count: int
