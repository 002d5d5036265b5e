"""Text in API bodies: cleaned on one line, except fields marked as long text, which keep their
line breaks — also when the field is optional (``LongText | None``), where pydantic keeps the
marker in the type rather than in the field."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from lantoa.core.api_input import MULTILINE, LongText, StrictInput


class Body(StrictInput):
    title: str
    notes: LongText = ""
    optional_notes: LongText | None = Field(None, max_length=100)
    marked_on_the_union: Annotated[str | None, MULTILINE] = None


def test_a_one_line_field_loses_its_line_breaks() -> None:
    assert "\n" not in Body.model_validate({"title": "Hội nghị\nquán triệt"}).title


def test_long_text_keeps_its_line_breaks_whether_required_or_optional() -> None:
    body = Body.model_validate(
        {
            "title": "t",
            "notes": "Dòng một\nDòng hai",
            "optional_notes": "Dòng một\nDòng hai",
            "marked_on_the_union": "Dòng một\nDòng hai",
        }
    )
    assert body.notes == body.optional_notes == body.marked_on_the_union == "Dòng một\nDòng hai"


def test_long_text_is_still_cleaned_of_control_characters() -> None:
    body = Body.model_validate({"title": "t", "optional_notes": "Dòng một\x00\nDòng\u200b hai"})
    assert body.optional_notes is not None
    assert "\x00" not in body.optional_notes and "\n" in body.optional_notes
