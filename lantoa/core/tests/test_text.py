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
