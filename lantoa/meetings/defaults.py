"""Conference kinds every deployment starts with (data: add more in the admin). Loaded by the
migration ``0002_default_kinds`` through the kind registry (:mod:`lantoa.core.kinds`)."""

from __future__ import annotations

from lantoa.core.kinds import KindSeed, register_kind_seeds, seed_kinds

# code, Vietnamese, English
KINDS = [
    ("resolution_study", "Hội nghị học tập, quán triệt nghị quyết", "Resolution study conference"),
    ("thematic", "Hội nghị chuyên đề", "Thematic conference"),
    ("reporters_monthly", "Hội nghị báo cáo viên định kỳ", "Reporters' conference (recurring)"),
    ("training", "Lớp bồi dưỡng, tập huấn", "Training"),
    ("review", "Hội nghị sơ kết, tổng kết", "Review conference"),
]


register_kind_seeds("meetings.ConferenceKind", (KindSeed(code, vi, en) for code, vi, en in KINDS))


def load_defaults(kind_model) -> None:  # type: ignore[no-untyped-def]
    """Create the default kinds that do not exist yet (by code); never changes existing rows."""
    seed_kinds(kind_model)
