"""Building XLSX and CSV files in memory for import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

VI_HEADER = ["tên đăng nhập", "họ và tên", "email", "mã đơn vị", "vai trò", "từ ngày"]
EN_HEADER = ["Username", "Full name", "Email", "Unit code", "Role", "Valid from"]


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] = VI_HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = VI_HEADER, *, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")
