"""Every spreadsheet import, fed random and hostile workbooks and CSV files.

Whatever the file, each importer answers with a clear error (an ApplicationError, most often
``import_rejected``) or a clean import; never another exception, never a partial write (the rows
of the importer's tables and of the audit log are counted before and after a refused file), and
within a bounded amount of memory (the peak traced while importing one generated file).

The importers are the product's own: users (accounts), conferences (meetings), the unit tree
(org) and the outreach roster (people). Their pages and the conference import endpoint answer
a malformed workbook with a message and a 4xx, never a 500.
"""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.accounts.importing import COLUMNS as USER_COLUMNS
from lantoa.accounts.importing import users_import, users_import_template
from lantoa.core.errors import ApplicationError, ImportRejected
from lantoa.core.importing import template_workbook
from lantoa.core.spreadsheets import MB
from lantoa.core.tests.workbooks import MAIN, sheet_xml, workbook
from lantoa.meetings import importing as meetings_importing
from lantoa.org.tree_io import COLUMNS as UNIT_COLUMNS
from lantoa.org.tree_io import tree_import
from lantoa.people import roster_io

pytestmark = pytest.mark.django_db

# Generated files stay under ~100 KB; reading one, checking its rows and refusing or writing them
# must stay far below what a whole import of the largest allowed file needs (see bench/imports.py).
MEMORY_BOUND = 24 * MB
HUGE_DIMENSION = "A1:XFD1048576"


@dataclass(frozen=True)
class Importer:
    name: str
    apps: tuple[str, ...]  # whose tables must not change when the file is refused
    run: Callable[[Any, Any, bytes], Any]  # (user, tree, content) -> result
    headers: Callable[[], list[list[str]]]  # the header row of each sheet, as the template has it
    sheet_names: Callable[[], list[str]]
    template: Callable[[], bytes]


def _meetings_headers() -> list[list[str]]:
    return [
        [column.vietnamese for column in meetings_importing.CONFERENCE_COLUMNS],
        [column.vietnamese for column in meetings_importing.SITE_COLUMNS],
    ]


IMPORTERS = [
    Importer(
        "users",
        ("accounts",),
        lambda user, tree, content: users_import(by=user, file=content, site_url="http://127.0.0.1/"),
        lambda: [[column.vietnamese for column in USER_COLUMNS]],
        lambda: ["Sheet1"],
        lambda: users_import_template(english=False),
    ),
    Importer(
        "conferences",
        ("meetings",),
        lambda user, tree, content: meetings_importing.conferences_import(by=user, file=content),
        _meetings_headers,
        lambda: [
            meetings_importing.SHEET_NAMES[meetings_importing.CONFERENCES][0],
            meetings_importing.SHEET_NAMES[meetings_importing.SITES][0],
        ],
        lambda: meetings_importing.conferences_import_template(english=False),
    ),
    Importer(
        "units",
        ("org",),
        lambda user, tree, content: tree_import(by=user, file=content),
        lambda: [[column.vietnamese for column in UNIT_COLUMNS]],
        lambda: ["Sheet1"],
        lambda: template_workbook(UNIT_COLUMNS, english=False),
    ),
    Importer(
        "roster",
        ("people",),
        lambda user, tree, content: roster_io.roster_import(by=user, unit=tree.province, file=content),
        lambda: [[column.vietnamese for column in roster_io.IMPORT_COLUMNS]],
        lambda: ["Tuyên truyền viên"],
        lambda: roster_io.roster_template(english=False),
    ),
]


_templates: dict[str, bytes] = {}


def template(importer: Importer) -> bytes:
    """The importer's template, written once (openpyxl stamps the time in each file it saves)."""
    if importer.name not in _templates:
        _templates[importer.name] = importer.template()
    return _templates[importer.name]


def counts(importer: Importer) -> dict[str, int]:
    models = [model for label in (*importer.apps, "core") for model in apps.get_app_config(label).get_models()]
    return {model._meta.label: model._default_manager.count() for model in models}


def import_once(importer: Importer, user: Any, tree: Any, content: bytes) -> None:
    """Import ``content``: a clear error leaves every table as it was; memory stays bounded."""
    before = counts(importer)
    tracemalloc.start()
    try:
        importer.run(user, tree, content)
    except ApplicationError as error:
        assert error.status < 500 and error.message
        assert counts(importer) == before, "a refused file wrote something"
        if isinstance(error, ImportRejected):
            assert len(error.extra["errors"]) <= 200 and error.extra["total"] >= len(error.extra["errors"])
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MEMORY_BOUND


# --- What a hostile file holds ------------------------------------------------------------------

_invisible = st.sampled_from(["\u200b", "\u200d", "\ufeff", "\u2060", "\x00", "\x1f", "\u202e"])
_text = st.text(alphabet=st.one_of(st.characters(codec="utf-8", exclude_categories=["Cs"]), _invisible), max_size=30)
_cell = st.one_of(
    st.none(),
    _text,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["01/02/2022", "31/02/2022", "2022-02-01", "=1/0", "=A1&A2", "#DIV/0!", "0912345678"]),
    st.builds(lambda n: "x" * n, st.integers(min_value=200, max_value=40_000)),  # very long strings
)


def _xml_cell(reference: str, value: Any) -> str:
    """A cell written the way a writer writes it; control characters as _xHHHH_ escapes."""
    if value is None:
        return f'<c r="{reference}" s="1"/>'  # styled but empty
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    if value.startswith("="):
        return f'<c r="{reference}"><f>{value[1:].replace("&", "&amp;")}</f></c>'  # a formula, no cached value
    escaped = "".join(
        f"_x{ord(char):04X}_" if ord(char) < 32 or 0xFFFE <= ord(char) <= 0xFFFF else char for char in value
    )
    escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escaped}</t></is></c>'


def _sheet(header: list[str], rows: list[list[Any]], *, dimension: str, gap: int, merged: bool) -> str:
    from lantoa.core.tests.workbooks import column_letters

    body = ['<row r="1">' + "".join(_xml_cell(f"{column_letters(i)}1", v) for i, v in enumerate(header)) + "</row>"]
    for offset, values in enumerate(rows):
        number = 2 + offset + (gap if offset else 0)
        cells = "".join(_xml_cell(f"{column_letters(i)}{number}", v) for i, v in enumerate(values))
        body.append(f'<row r="{number}">{cells}</row>')
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    merge = '<mergeCells count="1"><mergeCell ref="A2:C3"/></mergeCells>' if merged else ""
    return f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{"".join(body)}</sheetData>{merge}</worksheet>'


@st.composite
def hostile_workbooks(draw: st.DrawFn, importer: Importer) -> bytes:
    headers = importer.headers()
    names = importer.sheet_names()
    sheets = {}
    for position, header in enumerate(headers):
        if draw(st.booleans()):
            header = [draw(st.sampled_from([*header, "", "STT", "Ghi chú"])) for _ in header]
        width = len(header)
        rows = draw(st.lists(st.lists(_cell, min_size=0, max_size=width + 2), max_size=6))
        name = names[position] if position < len(names) and draw(st.booleans()) else draw(_text) or "Sheet"
        sheets[name[:31] or f"S{position}"] = _sheet(
            header,
            rows,
            dimension=draw(st.sampled_from(["", HUGE_DIMENSION, "A1:B2"])),
            gap=draw(st.sampled_from([0, 1, 5000, 1_000_000])),
            merged=draw(st.booleans()),
        )
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>'
    content = workbook(sheets, styles=styles)
    return draw(_damaged(content))


@st.composite
def _damaged(draw: st.DrawFn, content: bytes) -> bytes:
    """``content`` as it is, truncated, with bytes flipped, or with a part replaced by broken XML."""
    how = draw(st.sampled_from(["intact", "intact", "truncated", "flipped", "broken part"]))
    if how == "truncated":
        return content[: draw(st.integers(min_value=0, max_value=len(content) - 1))]
    if how == "flipped":
        position = draw(st.integers(min_value=0, max_value=len(content) - 1))
        return content[:position] + bytes([content[position] ^ 0xFF]) + content[position + 1 :]
    if how == "broken part":
        return _with_broken_part(content, draw(st.sampled_from(_PARTS)), draw(st.integers(min_value=1, max_value=400)))
    return content


_PARTS = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml", "_rels/.rels"]


def _with_broken_part(content: bytes, part: str, cut: int) -> bytes:
    """The same zip, with ``part`` (if it has it) cut short so its XML no longer parses."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = data[: max(0, len(data) - cut)] + b"<"
            target.writestr(info.filename, data)
    return buffer.getvalue()


@st.composite
def hostile_csv(draw: st.DrawFn, importer: Importer) -> bytes:
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        return draw(st.binary(max_size=2000))  # random bytes, neither XLSX nor UTF-8 text most often
    header = importer.headers()[0]
    rows = draw(st.lists(st.lists(_cell, max_size=len(header) + 2), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))

    def line(values: list[Any]) -> str:
        return delimiter.join('"' + str(v).replace('"', '""') + '"' if v is not None else "" for v in values)

    text = "\n".join([line(list(header)), *(line(row) for row in rows)])
    encoded = text.encode("utf-8-sig" if draw(st.booleans()) else "utf-8", errors="replace")
    if draw(st.booleans()):
        encoded += draw(st.binary(max_size=50))  # garbage at the end
    return encoded


# --- The properties -------------------------------------------------------------------------------

_fixtures = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
@_fixtures
@given(data=st.data())
def test_a_hostile_workbook_is_refused_clearly_or_imported_cleanly(importer, admin_user, tree, data):
    with translation.override("vi"):
        import_once(importer, admin_user, tree, data.draw(hostile_workbooks(importer)))


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
@_fixtures
@given(data=st.data())
def test_a_hostile_csv_is_refused_clearly_or_imported_cleanly(importer, admin_user, tree, data):
    with translation.override("en"):
        import_once(importer, admin_user, tree, data.draw(hostile_csv(importer)))


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
@_fixtures
@given(data=st.data())
def test_the_template_damaged_anyhow_is_refused_clearly_or_imported_cleanly(importer, admin_user, tree, data):
    import_once(importer, admin_user, tree, data.draw(_damaged(template(importer))))


# --- The defects found, on every importer -----------------------------------------------------


def _openpyxl_workbook_with_malformed(part: str) -> bytes:
    """A workbook saved by openpyxl (every part a spreadsheet program writes), one part broken.
    openpyxl writes no shared strings; for that part one is added the way other programs write it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", "b"])
    sheet.append(["c", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    if part == "xl/sharedStrings.xml":
        content = _with_shared_strings(content, f'<sst xmlns="{MAIN}"><si><t>a</t></si><si><t>b</t></si></sst>')
    return _with_broken_part(content, part, 20)


def _with_shared_strings(content: bytes, shared: str) -> bytes:
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename).decode()
            if info.filename == "xl/_rels/workbook.xml.rels":
                relation = f'<Relationship Id="rIdS" Type="{kind}" Target="sharedStrings.xml"/>'
                data = data.replace("</Relationships>", relation + "</Relationships>")
            elif info.filename == "[Content_Types].xml":
                override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content_type}"/>'
                data = data.replace("</Types>", override + "</Types>")
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace('<c r="A1" t="inlineStr"><is><t>a</t></is></c>', '<c r="A1" t="s"><v>0</v></c>')
            target.writestr(info.filename, data)
        target.writestr("xl/sharedStrings.xml", shared)
    return buffer.getvalue()


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_a_valid_zip_with_a_malformed_part_is_an_import_error(importer, part, admin_user, tree):
    before = counts(importer)
    with translation.override("en"), pytest.raises(ImportRejected) as caught:
        importer.run(admin_user, tree, _openpyxl_workbook_with_malformed(part))
    assert caught.value.extra["errors"][0].startswith("row 1: the file is not a readable XLSX workbook")
    assert counts(importer) == before


@pytest.mark.parametrize("importer", IMPORTERS, ids=lambda importer: importer.name)
def test_a_huge_declared_dimension_reads_only_the_cells_there_are(importer, admin_user, tree):
    names = importer.sheet_names()
    sheets = {
        names[i]: sheet_xml([header, ["x"] * len(header)], dimension=HUGE_DIMENSION)
        for i, header in enumerate(importer.headers())
    }
    content = workbook(sheets)
    assert len(content) < 3000
    import_once(importer, admin_user, tree, content)


# --- Pages and the API ---------------------------------------------------------------------------

PAGES = {
    "users": lambda tree: reverse("accounts:import_users"),
    "conferences": lambda tree: reverse("meetings:import"),
    "units": lambda tree: reverse("org:tree_import"),
    "roster": lambda tree: reverse("people:roster_import", kwargs={"code": tree.province.code}),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_import_page_answers_a_malformed_workbook_with_a_message(name, client_for, admin_user, tree):
    upload = SimpleUploadedFile("x.xlsx", _openpyxl_workbook_with_malformed("xl/worksheets/sheet1.xml"))
    response = client_for(admin_user).post(PAGES[name](tree), {"file": upload, "role": ""})
    with translation.override(response.headers.get("Content-Language", "vi")):
        expected = translation.gettext("the file is not a readable XLSX workbook")
    assert response.status_code == 422
    assert expected in response.content.decode()


def test_the_import_endpoint_answers_a_malformed_workbook_with_the_error_shape(client_for, admin_user, tree):
    upload = SimpleUploadedFile("x.xlsx", _openpyxl_workbook_with_malformed("xl/worksheets/sheet1.xml"))
    response = client_for(admin_user).post("/api/v1/meetings/import", {"file": upload})
    assert response.status_code == 422
    assert response.json()["code"] == "import_rejected"
    assert response.json()["extra"]["total"] == 1


@pytest.mark.parametrize("name", list(PAGES))
def test_every_import_page_lists_problems_up_to_the_cap_and_says_how_many_more(name, client_for, admin_user, tree):
    importer = next(importer for importer in IMPORTERS if importer.name == name)
    sheets = {
        sheet_name: sheet_xml([header, *[["\u200b"] * len(header) + ["x"]] * 150])  # every cell looks empty
        for sheet_name, header in zip(importer.sheet_names(), importer.headers(), strict=True)
    }
    content = workbook(sheets)
    with pytest.raises(ImportRejected) as caught:
        importer.run(admin_user, tree, content)
    more = caught.value.extra["total"] - 200
    assert more > 0
    response = client_for(admin_user).post(PAGES[name](tree), {"file": SimpleUploadedFile("x.xlsx", content)})
    page = response.content.decode()
    assert response.status_code == 422
    problems_table = page.split('data-testid="import-errors"', 1)[1].split("</table>", 1)[0]
    assert problems_table.count('<tr data-testid="import-error">') == 200
    said = page.split('data-testid="import-more-problems">', 1)[1].split("</p>", 1)[0]
    assert str(more) in said.replace(".", "").replace(",", "")
