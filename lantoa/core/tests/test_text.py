from hypothesis import given
from hypothesis import strategies as st

from lantoa.core.text import fold, person_sort_key, split_full_name, vn_sort_key


def test_fold_strips_diacritics_and_folds_d_bar():
    assert fold("Nghị quyết Đảng bộ") == "nghi quyet dang bo"
    assert fold("  ĐỒNG   đội ") == "dong doi"
    assert fold(None) == ""


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_vietnamese_letter_order():
    words = ["đào", "dung", "an", "ăn", "ân", "bình", "ơn", "ông", "ưu", "uyên"]
    assert sorted(words, key=vn_sort_key) == ["an", "ăn", "ân", "bình", "dung", "đào", "ông", "ơn", "uyên", "ưu"]


def test_tone_order_after_letters():
    # level, grave, hook, tilde, acute, dot below
    words = ["mạ", "má", "mã", "mả", "mà", "ma"]
    assert sorted(words, key=vn_sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


def test_people_sort_by_given_name_first():
    people = [("Nguyễn", "Văn", "Bình"), ("Trần", "Thị", "An"), ("Lê", "", "Bình")]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert ordered == [("Trần", "Thị", "An"), ("Lê", "", "Bình"), ("Nguyễn", "Văn", "Bình")]


def test_split_full_name():
    assert split_full_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_full_name("Khai") == ("", "", "Khai")


# --- clean_text, ascii_digits, fold_confusables ---------------------------------------------

from lantoa.core.text import _already_clean, ascii_digits, clean_text, fold_confusables  # noqa: E402


def test_text_of_invisible_characters_cleans_to_empty():
    assert clean_text("\u200b\u200c\u200d\u2060\ufeff") == ""
    assert clean_text("  \u00ad ") == ""


def test_control_characters_and_nul_are_removed():
    assert clean_text("Hội\x00 nghị\x07") == "Hội nghị"


def test_one_line_text_collapses_breaks_and_spaces():
    assert clean_text("  Hội   nghị\n\tquán triệt ") == "Hội nghị quán triệt"


def test_multiline_text_keeps_its_line_breaks():
    assert clean_text("Dòng một \r\n\u200bDòng  hai\r\rBa", multiline=True) == "Dòng một\nDòng hai\n\nBa"


@given(st.text(alphabet=st.characters(max_codepoint=127)), st.booleans())
def test_ascii_text_cleans_the_same_with_or_without_the_shortcut(text, multiline):
    """Printable ASCII skips the character-by-character walk: the walk gives the same text."""
    from unittest import mock

    with mock.patch("lantoa.core.text._already_clean", return_value=False):
        walked = clean_text(text, multiline=multiline)
    assert clean_text(text, multiline=multiline) == walked


def test_the_shortcut_leaves_what_needs_cleaning_to_the_walk():
    for text in ["A ", " A", "A  B", "A\tB", "A\nB", "A\x00", "\x7f", "Hội"]:
        assert not _already_clean(text)
    assert _already_clean("A") and _already_clean("phone-1") and _already_clean("A B")


def test_decomposed_vietnamese_is_composed():
    assert clean_text("Nghi\u0323 quyê\u0301t") == "Nghị quyết"


def test_full_width_digits_become_ascii():
    assert ascii_digits("０９１２ ３４５ ６７８") == "0912 345 678"


def test_cyrillic_and_greek_look_alikes_fold_to_latin():
    assert fold_confusables("МẬТ") == "MẬT"  # Cyrillic М and Т
    assert fold_confusables("ΤỐΙ МẬТ") == "TỐI MẬT"
    assert fold_confusables("ＭẬＴ") == "MẬT"
