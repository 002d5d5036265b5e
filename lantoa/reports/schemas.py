"""The dashboard over the API: the same presenter as the page and the export."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema

from lantoa.core.api_input import IsoDate, QueryInput
from lantoa.org.schemas import CoverageOut


class DashboardQuery(QueryInput):
    unit: str
    start: IsoDate
    end: IsoDate
    structure: Literal["historical", "current"] = "historical"


class ColumnOut(Schema):
    code: str
    name: str
    unit: str
    counting: str
    rate: bool


class DashboardFigureOut(Schema):
    code: str
    value: int | float | None  # None: no data (never 0)
    value_exact: str | None
    previous: int | float | None
    previous_exact: str | None
    coverage: CoverageOut


class RowOut(Schema):
    unit_code: str
    unit_name: str
    figures: list[DashboardFigureOut]


class DashboardOut(Schema):
    unit_code: str
    unit_name: str
    parent_code: str | None
    start: dt.date
    end: dt.date
    previous_start: dt.date
    previous_end: dt.date
    structure: str
    indicators: list[ColumnOut]
    total: RowOut
    siblings: list[RowOut]
    children: list[RowOut]
