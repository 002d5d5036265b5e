"""The arithmetic of judging, as pure functions: a sheet's total, a stage's aggregation rules,
the audience component, ranking with a declared tie-break, who advances, and assigning entries
to jurors. No database here: the services read the rows, call these and write the results.

Scales: a sheet's total is out of 100 (each criterion's score over its maximum, weighted, over
the sum of the weights); so are a stage's scores and the audience component (an entry's votes
over the most votes any entry had). See docs/decisions for why.
"""

from __future__ import annotations

import heapq
import math
import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
J = TypeVar("J", bound=Hashable)

HUNDRED = 100.0
PLACES = Decimal("0.001")


def quantize(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CriterionScore:
    value: Decimal
    max_score: Decimal
    weight: Decimal


def sheet_total(scores: Iterable[CriterionScore]) -> Decimal:
    """Σ weight × value / maximum, over Σ weight, out of 100 (three decimals)."""
    items = list(scores)
    weights = sum((item.weight for item in items), Decimal(0))
    if not items or weights == 0:
        return Decimal("0.000")
    weighted = sum((item.weight * item.value / item.max_score for item in items), Decimal(0))
    return (weighted * Decimal(100) / weights).quantize(PLACES, rounding=ROUND_HALF_UP)


# --- Aggregation --------------------------------------------------------------------------------


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def trimmed_mean(values: Sequence[float]) -> float:
    """The mean without the one highest and the one lowest score; with fewer than three scores
    nothing is dropped (dropping would leave nothing, or one juror's word)."""
    if len(values) < 3:
        return mean(values)
    ordered = sorted(values)
    return mean(ordered[1:-1])


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def pstdev(values: Sequence[float]) -> float:
    """The population standard deviation, in floats (``statistics.pstdev`` works in exact
    fractions: a hundred times slower over a stage's 200,000 totals)."""
    centre = mean(values)
    return math.sqrt(math.fsum((value - centre) ** 2 for value in values) / len(values))


def normalised(scores: Mapping[K, Mapping[J, float]]) -> dict[K, float]:
    """Per-juror z-scores, averaged per entry and rescaled to the stage's raw scale.

    ``scores`` is entry → juror → total. Each juror's totals are turned into z-scores against
    that juror's own mean and (population) standard deviation, so a harsh juror's 60 and a
    lenient juror's 90 both count as "above this juror's usual" when they are. A juror with one
    sheet, or who gave every entry the same total, says nothing about order: z = 0. An entry's
    mean z is rescaled as M + S × z̄, M and S the mean and standard deviation of every total in
    the stage, so the result reads on the familiar 0–100 scale (clamped to it).
    """
    by_juror: dict[J, list[float]] = {}
    for per_juror in scores.values():
        for juror, value in per_juror.items():
            by_juror.setdefault(juror, []).append(value)
    moments = {}
    for juror, values in by_juror.items():
        centre = mean(values)
        spread = pstdev(values) if len(values) > 1 else 0.0
        moments[juror] = (centre, spread)
    every = [value for values in by_juror.values() for value in values]
    if not every:
        return {}
    overall_mean = mean(every)
    overall_sd = pstdev(every) if len(every) > 1 else 0.0
    result = {}
    for entry, per_juror in scores.items():
        if not per_juror:
            continue
        zs = []
        for juror, value in per_juror.items():
            centre, spread = moments[juror]
            zs.append((value - centre) / spread if spread > 0 else 0.0)
        result[entry] = min(HUNDRED, max(0.0, overall_mean + overall_sd * mean(zs)))
    return result


AGGREGATORS = {"mean": mean, "trimmed_mean": trimmed_mean, "median": median}


def aggregate(scores: Mapping[K, Mapping[J, float]], rule: str) -> dict[K, float]:
    """entry → juror → total, to entry → the stage's jury score by ``rule`` (entries without a
    submitted sheet are left out)."""
    if rule == "normalised":
        return normalised(scores)
    combine = AGGREGATORS[rule]
    return {entry: combine(list(per_juror.values())) for entry, per_juror in scores.items() if per_juror}


def with_audience(jury: Mapping[K, float], votes: Mapping[K, int], weight: float) -> dict[K, float]:
    """(1 − weight) × jury score + weight × audience score, the audience score being an entry's
    votes over the most votes any entry had, out of 100. Weight 0 leaves the jury's scores."""
    if weight <= 0:
        return dict(jury)
    most = max((votes.get(entry, 0) for entry in jury), default=0)
    return {
        entry: (1 - weight) * score + weight * (HUNDRED * votes.get(entry, 0) / most if most else 0.0)
        for entry, score in jury.items()
    }


# --- Ranking and advancing ----------------------------------------------------------------------


def rank(scores: Mapping[K, float], tie_break: Mapping[K, float] | None = None) -> list[tuple[K, int]]:
    """Entries best first with their ranks: a higher score first, then a higher tie-break value
    (the declared criterion's mean); entries equal on both share a rank ("1, 2, 2, 4").
    Scores are compared rounded to three decimals, as they are shown."""
    tie = tie_break or {}

    keys = {entry: (round(score, 3), round(tie.get(entry, 0.0), 6)) for entry, score in scores.items()}
    ordered = sorted(scores, key=keys.__getitem__, reverse=True)
    ranked: list[tuple[K, int]] = []
    previous = None
    for position, entry in enumerate(ordered, start=1):
        current = keys[entry]
        ranked.append((entry, ranked[-1][1] if current == previous else position))
        previous = current
    return ranked


def advancing(
    ranked: Sequence[tuple[K, int]], scores: Mapping[K, float], *, rule: str, count: int | None, threshold: float | None
) -> list[K]:
    """Who advances: every entry ranked within the top ``count`` (all who share the last place
    go through together), or every entry scoring at least ``threshold``."""
    if rule == "top_n" and count:
        return [entry for entry, place in ranked if place <= count]
    if rule == "threshold" and threshold is not None:
        return [entry for entry, _place in ranked if quantize(scores[entry]) >= Decimal(str(threshold))]
    return []


def disagreement(totals: Iterable[float], margin: float | None) -> bool:
    """True when two submitted totals differ by more than ``margin``."""
    values = list(totals)
    return margin is not None and len(values) >= 2 and max(values) - min(values) > margin


# --- Assignment ---------------------------------------------------------------------------------


class AssignmentImpossible(ValueError):
    """Some entry has fewer than k jurors free of conflict."""

    def __init__(self, entry: object, available: int) -> None:
        super().__init__(f"entry {entry!r}: {available} jurors without a conflict")
        self.entry = entry
        self.available = available


def assign(
    entries: Sequence[K],
    jurors: Sequence[J],
    k: int,
    conflicts: Mapping[K, set[J]],
    *,
    loads: Mapping[J, int] | None = None,
    already: Mapping[K, set[J]] | None = None,
) -> dict[K, list[J]]:
    """Each entry to ``k`` jurors (counting those it ``already`` has), none in conflict with it,
    the jurors' loads (starting from ``loads``) kept as even as possible.

    Entries with the fewest free jurors go first, and each takes the least loaded free jurors
    (a heap of loads; ties by the jurors' order, so the result is the same on every run). A
    final pass moves sheets from the most to the least loaded juror while they differ by more
    than one and a move is allowed. Returns entry → the jurors newly assigned to it.
    """
    load = {juror: (loads or {}).get(juror, 0) for juror in jurors}
    order = {juror: index for index, juror in enumerate(jurors)}
    have = {entry: set((already or {}).get(entry, set())) for entry in entries}
    heap = [(load[juror], order[juror], juror) for juror in jurors]
    heapq.heapify(heap)
    result: dict[K, list[J]] = {entry: [] for entry in entries}
    by_scarcity = sorted(entries, key=lambda entry: -len(conflicts.get(entry, ())))
    for entry in by_scarcity:
        needed = k - len(have[entry])
        if needed <= 0:
            continue
        blocked = conflicts.get(entry, set()) | have[entry]
        skipped: list[tuple[int, int, J]] = []
        chosen: list[tuple[int, int, J]] = []
        while heap and len(chosen) < needed:
            item = heapq.heappop(heap)
            (chosen if item[2] not in blocked else skipped).append(item)
        if len(chosen) < needed:
            raise AssignmentImpossible(entry, len(chosen) + len(have[entry]))
        for item in skipped:
            heapq.heappush(heap, item)
        for _load, index, juror in chosen:
            load[juror] += 1
            heapq.heappush(heap, (load[juror], index, juror))
            result[entry].append(juror)
            have[entry].add(juror)
    _rebalance(result, have, load, conflicts)
    return result


def _rebalance(
    result: dict[K, list[J]], have: dict[K, set[J]], load: dict[J, int], conflicts: Mapping[K, set[J]]
) -> None:
    if not load:
        return
    given: dict[J, list[K]] = {}
    for entry, jurors in result.items():
        for juror in jurors:
            given.setdefault(juror, []).append(entry)
    for _round in range(len(load) * 4):
        heavy = max(load, key=lambda juror: load[juror])
        light = min(load, key=lambda juror: load[juror])
        if load[heavy] - load[light] <= 1:
            return
        movable = next(
            (
                entry
                for entry in given.get(heavy, [])
                if light not in have[entry] and light not in conflicts.get(entry, set())
            ),
            None,
        )
        if movable is None:
            return
        given[heavy].remove(movable)
        given.setdefault(light, []).append(movable)
        result[movable][result[movable].index(heavy)] = light
        have[movable].discard(heavy)
        have[movable].add(light)
        load[heavy] -= 1
        load[light] += 1


def extra_juror(jurors: Sequence[J], loads: Mapping[J, int], taken: set[J], conflicted: set[J]) -> J | None:
    """The least loaded juror neither already on the entry nor in conflict with it (first in
    ``jurors`` order among equals), or None."""
    free = [juror for juror in jurors if juror not in taken and juror not in conflicted]
    if not free:
        return None
    order = {juror: index for index, juror in enumerate(jurors)}
    return min(free, key=lambda juror: (loads.get(juror, 0), order[juror]))
