"""Conference kinds every deployment starts with (data: add more in the admin). Loaded by the
migration ``0002_default_kinds``."""

from __future__ import annotations

KINDS = [
    ("resolution_study", "Hội nghị học tập, quán triệt nghị quyết", "Resolution study conference"),
    ("thematic", "Hội nghị chuyên đề", "Thematic conference"),
    ("reporters_monthly", "Hội nghị báo cáo viên định kỳ", "Reporters' conference (recurring)"),
    ("training", "Lớp bồi dưỡng, tập huấn", "Training"),
    ("review", "Hội nghị sơ kết, tổng kết", "Review conference"),
]


def load_defaults(kind_model) -> None:  # type: ignore[no-untyped-def]
    for rank, (code, name_vi, name_en) in enumerate(KINDS, start=1):
        kind_model.objects.get_or_create(code=code, defaults={"name_vi": name_vi, "name_en": name_en, "rank": rank})
