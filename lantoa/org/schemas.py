from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from lantoa.core.api_input import FiniteFloat, IsoDate, LongText, StrictInput


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


class CoverageOut(Schema):
    complete: bool
    missing_count: int
    missing_units: list[str]


class IndicatorOut(Schema):
    code: str
    name: str
    name_vi: str
    name_en: str
    unit: str
    aggregation: str
    counting: str
    reallocation: str
    module: str


class IndicatorListOut(Schema):
    items: list[IndicatorOut]
    count: int


class IndicatorValueOut(Schema):
    code: str
    name: str
    value: int | float | None
    value_exact: str | None
    unit: str
    coverage: CoverageOut


class IndicatorValueListOut(Schema):
    items: list[IndicatorValueOut]
    count: int
    unit_code: str
    start: dt.date
    end: dt.date
    structure: str
    as_of: dt.date | None


class EventIn(StrictInput):
    kind: str
    effective_on: IsoDate
    decided_on: IsoDate | None = None
    legal_basis: str = ""
    note: LongText = ""
    payload: dict
    dry_run: bool = False


class EventReportOut(Schema):
    kind: str
    effective_on: dt.date
    dry_run: bool
    event_id: int | None
    created: list[str]
    closed: list[str]
    moved: list[dict]
    renamed: list[dict]
    successions: list[dict]
    # Parts given by a unit that stays open: {"from": code, "to": code}.
    parts: list[dict] = []
    pointers: list[dict]
    figures: list[dict] = []


class EventOut(Schema):
    id: int
    kind: str
    legal_basis: str
    decided_on: dt.date | None
    effective_on: dt.date
    sequence: int
    note: str
    payload: dict


class EventListOut(Schema):
    items: list[EventOut]
    count: int


class SuccessionOut(Schema):
    event_id: int
    effective_on: dt.date
    predecessor: str
    successor: str
    weight: str
    is_default: bool


class SuccessionListOut(Schema):
    items: list[SuccessionOut]
    count: int


class FigureIn(StrictInput):
    indicator: str
    unit: str
    period_kind: str = "range"
    start: IsoDate
    end: IsoDate
    value: str | int | FiniteFloat
    source: str = ""


class FigureOut(Schema):
    id: int
    indicator: str
    unit: str
    period_kind: str
    start: dt.date
    end: dt.date
    value: str
    source: str
    created_at: dt.datetime
    superseded_at: dt.datetime | None


class FigureListOut(Schema):
    items: list[FigureOut]
    count: int
