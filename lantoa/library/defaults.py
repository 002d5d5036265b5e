"""Document kinds every deployment starts with (data: add more in the admin). Loaded by the
migration ``0002_default_kinds``."""

from __future__ import annotations

KINDS = [
    ("resolution", "Nghị quyết", "Resolution"),
    ("conclusion", "Kết luận", "Conclusion"),
    ("directive", "Chỉ thị", "Directive"),
    ("regulation", "Quy định", "Regulation"),
    ("guidance", "Hướng dẫn", "Guidance"),
    ("plan", "Kế hoạch", "Plan"),
    ("report", "Báo cáo", "Report"),
    ("decision", "Quyết định", "Decision"),
    ("study_material", "Tài liệu học tập", "Study material"),
    ("handbook", "Sổ tay, cẩm nang", "Handbook"),
    ("outreach_material", "Tài liệu tuyên truyền", "Outreach material"),
]


def load_defaults(kind_model) -> None:  # type: ignore[no-untyped-def]
    for rank, (code, name_vi, name_en) in enumerate(KINDS, start=1):
        kind_model.objects.get_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en, "rank": rank})
