from __future__ import annotations

import datetime as dt
import itertools

from lantoa.accounts.models import User
from lantoa.accounts.services import assignment_create, user_create
from lantoa.org.models import Unit

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_user(
    *,
    role: str | None = None,
    unit: Unit | None = None,
    username: str | None = None,
    valid_from: dt.date = dt.date(2020, 1, 1),
    valid_to: dt.date | None = None,
    language: str = "vi",
) -> User:
    user = user_create(
        by=None,
        username=username or f"user{next(_counter)}",
        full_name="Người Dùng Thử",
        email="user@example.org",
        password=PASSWORD,
        language=language,
    )
    if role and unit:
        assignment_create(by=None, user=user, unit=unit, role=role, valid_from=valid_from, valid_to=valid_to)
    return user
