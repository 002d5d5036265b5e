"""Shared pieces of the audience-vote tests: a stage with entries, an open vote and a fake SMS
channel that keeps what it was asked to send."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from lantoa.core.notify import Recipient
from lantoa.judging.audience import services as audience
from lantoa.judging.models import Stage
from lantoa.judging.tests.factories import make_competition, make_entry, make_rubric, make_stage
from lantoa.org.tests.factories import Tree


@dataclass
class FakeSms:
    name: str = "sms"
    sent: list[tuple[str, str]] = field(default_factory=list)

    def can_reach(self, recipient: Recipient) -> bool:
        return bool(recipient.phone)

    def send(self, recipient: Recipient, subject: str, body: str) -> bool:
        self.sent.append((recipient.phone, body))
        return True

    def last_code(self) -> str:
        found = re.search(r"\b(\d{6})\b", self.sent[-1][1])
        assert found is not None
        return found.group(1)


def staged_stage(tree: Tree, *, opens: dt.datetime | None = None, hours: int = 4) -> Stage:
    """A staged stage of the province with three entries and its audience vote open from ``opens``."""
    competition = make_competition(tree.province, kind="staged")
    stage = make_stage(competition, make_rubric(tree.province), jurors_per_entry=1, audience_weight="0.5")
    make_entry(competition, tree.commune_a1, title="Đội xã Quang Kim")
    make_entry(competition, tree.commune_b1, title="Đội xã Lương Sơn")
    make_entry(competition, tree.district_b, title="Đội huyện Bảo Yên")
    start = opens or timezone.now() - dt.timedelta(hours=1)
    audience.poll_open(by=None, stage=stage, opens_at=start, closes_at=start + dt.timedelta(hours=hours))
    return stage


def entry_ids(stage: Stage) -> list[int]:
    return list(stage.entry_rows.order_by("entry_id").values_list("entry_id", flat=True))
