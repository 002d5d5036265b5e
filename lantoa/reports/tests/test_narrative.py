"""Narrative sentences: Vietnamese numbers, rounding words, attendances never called people, and
no data never stated as 0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lantoa.reports.narrative import (
    Num,
    Value,
    approximate,
    format_number,
    format_percent,
    phrase,
    plain,
    sentence,
)

START, END = dt.date(2021, 3, 1), dt.date(2022, 7, 31)


def conferences(held=688, points=577, present=118_437, complete=True):  # type: ignore[no-untyped-def]
    return [
        Value("conferences_held", held, "items", "hội nghị", "Hội nghị học tập, quán triệt đã tổ chức"),
        Value("online_bridge_points", points, "items", "điểm cầu", "Điểm cầu trực tuyến"),
        Value(
            "conference_attendances",
            present,
            "attendances",
            "lượt người",
            "Lượt người dự hội nghị",
            complete=complete,
        ),
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (688, "688"),
        (5_000, "5.000"),
        (118_437, "118.437"),
        (1_234_567, "1.234.567"),
        (Decimal("92.5"), "92,5"),
        (Decimal("1234.50"), "1.234,5"),
        (Decimal("7.000"), "7"),
        (-1_204, "-1.204"),
    ],
)
def test_numbers_are_written_the_vietnamese_way(value, text):  # type: ignore[no-untyped-def]
    assert format_number(value) == text


def test_percent_keeps_one_decimal_and_a_comma():  # type: ignore[no-untyped-def]
    assert format_percent(Decimal("91.46")) == "91,5%"
    assert format_percent(90) == "90%"


@pytest.mark.parametrize(
    ("value", "complete", "text"),
    [
        (688, True, "688"),  # small: exact
        (9_999, True, "9.999"),
        (118_437, True, "trên 118.000"),
        (117_960, True, "gần 118.000"),
        (118_000, True, "118.000"),
        (118_500, True, "gần 119.000"),  # half rounds up, so it is just below
        (1_234_567, True, "trên 1.230.000"),
        (118_437, False, "khoảng 118.000"),  # a partial total claims no direction
        (5_123, False, "5.123"),  # small figures stay exact even when partial
    ],
)
def test_rounding_words(value, complete, text):  # type: ignore[no-untyped-def]
    assert approximate(value, complete=complete).text == text


def test_the_articles_sentence():  # type: ignore[no-untyped-def]
    text = plain(sentence(conferences(), subject="Tỉnh ủy Lào Cai", start=START, end=END))
    assert text == (
        "Từ tháng 3/2021 đến tháng 7/2022, Tỉnh ủy Lào Cai đã tổ chức 688 hội nghị, trong đó có hình thức "
        "trực tuyến với 577 điểm cầu và trên 118.000 lượt cán bộ, đảng viên tham gia."
    )


def test_attendances_are_never_called_people():  # type: ignore[no-untyped-def]
    # An attendance indicator the phrases do not know: its unit gains "lượt".
    visits = Value("museum_visits", 12, "attendances", "người", "Lượt tham quan bảo tàng")
    text = plain(phrase(visits))
    assert text.startswith("12 lượt người")
    # A people indicator says "người" (or the role's noun), never "lượt".
    cadres = Value("outreach_commune_cadres", 1_707, "people", "người", "Cán bộ tuyên vận cấp xã")
    assert plain(phrase(cadres)) == "1.707 cán bộ tuyên vận cấp xã"
    generic_people = Value("volunteers", 30, "people", "người", "Tình nguyện viên")
    assert plain(phrase(generic_people)) == "30 người (tình nguyện viên)"
    assert "lượt" not in plain(phrase(generic_people))


def test_no_data_is_never_zero():  # type: ignore[no-untyped-def]
    text = plain(sentence(conferences(points=None), subject="Huyện ủy Bát Xát", start=START, end=END))
    assert "0 điểm cầu" not in text
    assert "tổ chức 688 hội nghị với trên 118.000 lượt cán bộ, đảng viên tham gia" in text
    assert text.endswith("; chưa có số liệu về số điểm cầu trực tuyến.")
    nothing = plain(sentence(conferences(None, None, None), subject="Xã A", start=START, end=END))
    assert nothing.endswith(
        "chưa có số liệu về số hội nghị đã tổ chức, số điểm cầu trực tuyến và số lượt cán bộ, đảng viên tham gia."
    )
    # A real zero is data, and said so.
    assert "chưa tổ chức hội nghị nào" in plain(sentence(conferences(0, 0, 0), subject="Xã A", start=START, end=END))


def test_no_online_points_drops_the_online_clause():  # type: ignore[no-untyped-def]
    text = plain(sentence(conferences(12, 0, 640), subject="Xã A", start=START, end=END))
    assert "tổ chức 12 hội nghị với 640 lượt cán bộ, đảng viên tham gia." in text
    assert "trực tuyến" not in text


def test_the_network_reads_as_one_list_and_numbers_carry_their_links():  # type: ignore[no-untyped-def]
    values = [
        Value("outreach_boards", 152, "items", "ban"),
        Value("outreach_teams", 1_536, "items", "tổ"),
        Value("outreach_commune_cadres", 1_707, "people", "người"),
        Value("village_propagandists", 4_068, "people", "người"),
        Value("copies_printed", 5_000, "items", "bản"),
        Value("member_attendance_rate", Decimal("91.46"), "other", "%", rate=True),
    ]
    parts = sentence(
        values,
        subject="Tỉnh ủy Lào Cai",
        start=dt.date(2021, 3, 5),
        end=END,
        link=lambda code: f"/records?indicator={code}",
    )
    assert plain(parts) == (
        "Từ ngày 05/3/2021 đến ngày 31/7/2022, Tỉnh ủy Lào Cai đã có 152 ban tuyên vận xã, 1.536 tổ tuyên vận "
        "thôn, tổ dân phố, 1.707 cán bộ tuyên vận cấp xã và 4.068 tuyên truyền viên ở thôn, tổ dân phố; "
        "in, phát hành 5.000 bản tài liệu; tỷ lệ đảng viên tham dự đạt 91,5%."
    )
    numbers = [part for part in parts if isinstance(part, Num)]
    assert [n.text for n in numbers] == ["152", "1.536", "1.707", "4.068", "5.000", "91,5%"]
    assert numbers[0].url == "/records?indicator=outreach_boards"


def test_an_officers_lead_replaces_the_opening_and_nothing_to_say_is_empty():  # type: ignore[no-untyped-def]
    parts = sentence(
        conferences(), subject="x", start=START, end=END, lead="Ban Tuyên giáo Tỉnh ủy đã tham mưu Tỉnh ủy"
    )
    assert plain(parts).startswith("Ban Tuyên giáo Tỉnh ủy đã tham mưu Tỉnh ủy tổ chức 688 hội nghị")
    assert sentence([], subject="x", start=START, end=END) == []
