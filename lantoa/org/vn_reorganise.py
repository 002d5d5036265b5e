"""Vietnam's 2025 reorganisation, applied to the imported tree as restructuring events.

The source is the old → new mapping of the ``vietnamadminunits`` package (MIT licence):
``converter_2025.json`` (which old provinces form each new one, which old communes form each
new commune, and the old communes that were split) and the table ``admin_units`` of
``dataset.db`` (the 34 provinces and 3,321 communes from 1 July 2025, with their official
codes). Everything goes through :func:`lantoa.org.restructuring.event_apply`, in date order:

1. **Province mergers**, 12 June 2025 (Nghị quyết 202/2025/QH15): one ``merge`` per new province
   formed from several old ones, ``into`` the province whose key the new province keeps (Lào
   Cai continues, Yên Bái closes). The closing province's districts move under it.
2. **Commune arrangement**, 1 July 2025: for each new commune, one ``merge`` of its old communes
   into a new unit created directly under the provincial committee. The package gives no
   weights: a split old commune goes whole (weight 1) to its *default* new commune; the other
   new communes that received a part of it are named in the event note. A new commune formed
   from exactly one old commune of the same name and type *continues* (no new unit; a
   ``change_area`` when its official code changes), unless the old unit kept no records in
   Lantoa (imported with ``keeps_records=False``): then a new unit succeeds it, so that the
   post-2025 commune keeps records. An island district without communes that became a
   special zone (*đặc khu*) continues too: ``rename``, ``change_kind`` and ``change_area``. A new
   commune that received only parts of split communes (none of them as default) is created
   with a ``create`` event.
3. **District tier**, 1 July 2025, after the communes: ``abolish_tier`` within the provincial
   committee. Where the committee also has functional units of that tier (bloc, armed
   forces), which ``abolish_tier`` would close too, each territorial district-tier unit is
   closed with a ``close`` event instead, with the province as successor: the same effect
   for the districts, and the functional committees are left alone.
4. **The provincial committee's area**: a ``change_area`` on 1 July 2025 when the new province
   has another official code (the new Lào Cai has Yên Bái's old code, ``15``).
5. **The Propaganda Commission** (``<province>-BTG``, when it exists): renamed "Ban Tuyên giáo và
   Dân vận Tỉnh ủy" (the Propaganda and Mass Mobilisation commissions merged in 2025).

Lantoa codes of new communes are ``<continuing province code>-25-<official code>``, e.g.
``VN10-25-02647``: official codes after 2025 reuse old ones (the new Phường Lào Cai has the
code ``02647`` of the old Phường Kim Tân, ``VN10-080-02647``), and the two-digit ``25`` cannot
be mistaken for a three-digit district code. Units are matched by Lantoa code, so running
the reorganisation again applies nothing twice. Everything that cannot be matched is
returned in :attr:`ReorganisationReport.unmatched`, never dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationFailed
from lantoa.core.text import fold
from lantoa.org import selectors
from lantoa.org.defaults import COMMUNE_KIND_BY_TYPE, ensure_default_kinds
from lantoa.org.models import Unit, UnitArea
from lantoa.org.restructuring import event_apply
from lantoa.org.vn_units import AdminArea, dataset_path

PROVINCES_MERGED_ON = dt.date(2025, 6, 12)
PROVINCES_LEGAL_BASIS = "Nghị quyết 202/2025/QH15"
COMMUNES_ON = dt.date(2025, 7, 1)
# The package gives no per-province resolution; the ones we know are listed here.
COMMUNES_LEGAL_BASIS: dict[str, tuple[str, dt.date]] = {
    "tinhlaocai": ("Nghị quyết 1673/NQ-UBTVQH15", dt.date(2025, 6, 16)),
}
COMMUNES_LEGAL_BASIS_DEFAULT = "Nghị quyết của UBTVQH về sắp xếp ĐVHC cấp xã năm 2025"
DISTRICT_TIER = "district"
DISTRICT_TIER_LEGAL_BASIS = "Luật Tổ chức chính quyền địa phương năm 2025 (chính quyền địa phương hai cấp)"
NEW_CODE_MARK = "25"  # VN10-25-02647: a commune of the 2025 arrangement

COMMISSION_SUFFIX = "-BTG"
COMMISSION_NAME_2025 = "Ban Tuyên giáo và Dân vận Tỉnh ủy"
# The provincial commissions merged after the central merger of 3 February 2025; the package does
# not say when each province did. 1 March 2025 is an approximation, stated in the event's note.
COMMISSION_RENAMED_ON = dt.date(2025, 3, 1)
COMMISSION_NOTE = (
    "Hợp nhất Ban Tuyên giáo và Ban Dân vận Tỉnh ủy (sau khi Trung ương hợp nhất hai ban ngày 3/2/2025). "
    "Ngày hiệu lực là ngày gần đúng: dữ liệu nguồn không có quyết định của tỉnh."
)

CONVERTER_FILE = "converter_2025.json"


# Reading the mapping ----------------------------------------------------------------------


@dataclass(frozen=True)
class OldArea:
    """A pre-2025 commune, or an island district that had no communes (its ``ward_code`` is empty)."""

    key: str  # "tinhlaocai_huyenbatxat_xaamusung"
    province_code: str
    district_code: str
    ward_code: str
    name: str  # "Xã A Mú Sung", or the district's name
    ward_key: str  # the commune's key ("xaamusung"), or the district's key

    @property
    def code(self) -> str:
        """The Lantoa code the pre-2025 import gave it (see :mod:`lantoa.org.vn_units`)."""
        base = f"VN{self.province_code}-{self.district_code}"
        return f"{base}-{self.ward_code}" if self.ward_code else base

    @property
    def is_district(self) -> bool:
        return not self.ward_code


@dataclass(frozen=True)
class NewWard:
    """A commune-tier unit from 1 July 2025, as in ``admin_units``."""

    key: str  # "phuonglaocai"
    official_code: str  # "02647"
    name: str  # "Phường Lào Cai"
    ward_type: str  # "Xã", "Phường", "Đặc khu"

    @property
    def proper_name(self) -> str:
        prefix = self.ward_type + " "
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name

    @property
    def committee_name(self) -> str:
        return f"Đảng bộ {self.ward_type.lower()} {self.proper_name}"


@dataclass
class WardPlan:
    ward: NewWard
    predecessors: list[OldArea] = field(default_factory=list)  # merged whole (split communes: default only)
    parts_from: list[OldArea] = field(default_factory=list)  # split communes whose default lies elsewhere
    splits: dict[str, list[str]] = field(default_factory=dict)  # predecessor key → its other new communes


@dataclass
class ProvincePlan:
    """One new province: the old provinces that form it and its new communes."""

    key: str  # "tinhlaocai"
    name: str  # "Tỉnh Lào Cai"
    official_code: str  # "15" (from 1 July 2025)
    old_keys: list[str]
    continuing_key: str
    old_codes: dict[str, str]  # old province key → its official code
    old_names: dict[str, str]
    wards: list[WardPlan] = field(default_factory=list)

    @property
    def continuing_code(self) -> str:
        """The Lantoa code of the provincial committee that continues, e.g. ``VN10``."""
        return f"VN{self.old_codes[self.continuing_key]}"

    @property
    def closing_codes(self) -> list[str]:
        return [f"VN{self.old_codes[key]}" for key in self.old_keys if key != self.continuing_key]

    def new_unit_code(self, ward: NewWard) -> str:
        return f"{self.continuing_code}-{NEW_CODE_MARK}-{ward.official_code}"


@dataclass(frozen=True)
class Unmatched:
    """Something of the mapping that could not be matched; reported, never dropped."""

    what: str  # "old_key", "new_ward", "province", "unit", "area"
    key: str
    province: str  # the new province's key
    detail: str

    def __str__(self) -> str:
        return f"{self.what} {self.key} ({self.province}): {self.detail}"


@dataclass
class Mapping2025:
    provinces: dict[str, ProvincePlan]  # by new province key
    new_key_by_old_code: dict[str, str]  # old official province code → new province key
    unmatched: list[Unmatched]
    anomalies: list[Unmatched]  # matched, but the package contradicts itself
    split_communes: dict[str, int]  # new province key → old communes split between new ones
    folded_matches: dict[str, int]  # new province key → keys matched only after folding diacritics


def _fold_key(key: str) -> str:
    return fold(key).replace(" ", "")


class _KeyIndex:
    """Keys matched exactly, or after folding diacritics when that leaves one candidate.

    Some keys keep their diacritics to stay unique ('phườngsapa', 'phườngsapả'); the mapping
    uses the same spelling, so exact matches come first and folding is only a fallback.
    """

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        self.exact: dict[str, Any] = {}
        self.folded: dict[str, list[Any]] = defaultdict(list)
        for key, value in items:
            self.exact[key] = value
            self.folded[_fold_key(key)].append(value)

    def get(self, key: str) -> tuple[Any | None, str]:
        """(value, how) where how is "exact", "folded", "ambiguous" or "missing"."""
        if key in self.exact:
            return self.exact[key], "exact"
        candidates = self.folded.get(_fold_key(key), [])
        if len(candidates) == 1:
            return candidates[0], "folded"
        return None, "ambiguous" if candidates else "missing"


def converter_path() -> Path:
    return dataset_path().parent / CONVERTER_FILE


class _Matcher:
    """Matches keys and keeps what it could not match."""

    def __init__(self) -> None:
        self.unmatched: list[Unmatched] = []
        self.anomalies: list[Unmatched] = []
        self.folded: Counter[str] = Counter()

    def match(self, index: _KeyIndex, key: str, what: str, province: str) -> Any | None:
        value, how = index.get(key)
        if how == "folded":
            self.folded[province] += 1
        elif value is None:
            detail = {
                "old_key": "not in the table admin_units_legacy",
                "new_ward": "not in the table admin_units",
                "province": "no such province in the package's tables",
            }[what]
            if how == "ambiguous":
                detail += " (several keys match once diacritics are folded)"
            self.report(what, key, province, detail)
        return value

    def report(self, what: str, key: str, province: str, detail: str) -> None:
        self.unmatched.append(Unmatched(what, key, province, detail))


def load_converter() -> dict[str, Any]:
    with open(converter_path(), encoding="utf-8") as handle:
        return json.load(handle)


@cache
def load_mapping_2025() -> Mapping2025:
    """The 2025 mapping of the whole country, matched against both tables of the package."""
    return build_mapping(load_converter())


def build_mapping(converter: dict[str, Any]) -> Mapping2025:
    """Match ``converter`` (the content of ``converter_2025.json``) against the package's tables."""
    with closing(sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True)) as connection:
        legacy = connection.execute(
            "SELECT provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode, province, district, ward "
            "FROM admin_units_legacy"
        ).fetchall()
        current = connection.execute(
            "SELECT provinceKey, province, provinceCode, wardKey, wardCode, ward, wardType FROM admin_units"
        ).fetchall()

    old_items = []
    old_provinces: dict[str, tuple[str, str]] = {}
    for p_key, d_key, w_key, p_code, d_code, w_code, p_name, d_name, w_name in legacy:
        old_provinces[p_key] = (p_code, p_name)
        if w_code:
            area = OldArea(f"{p_key}_{d_key}_{w_key}", p_code, d_code, w_code, w_name, w_key)
        else:  # an island district without communes: the mapping names it "province_district_"
            area = OldArea(f"{p_key}_{d_key}_", p_code, d_code, "", d_name, d_key)
        old_items.append((area.key, area))
    old_index = _KeyIndex(old_items)
    old_province_index = _KeyIndex((key, key) for key in old_provinces)

    new_provinces: dict[str, tuple[str, str]] = {}
    new_wards: dict[str, list[tuple[str, NewWard]]] = defaultdict(list)
    matcher = _Matcher()
    for p_key, p_name, p_code, w_key, w_code, w_name, w_type in current:
        new_provinces[p_key] = (p_code, p_name)
        named_type = next((t for t in COMMUNE_KIND_BY_TYPE if w_name.startswith(t + " ")), w_type)
        if named_type != w_type:  # the name is right where the two disagree ("Phường Tân Lộc", type "Xã")
            detail = f"{w_name}: wardType {w_type} contradicts the name; the name's type {named_type} is used"
            matcher.anomalies.append(Unmatched("ward_type", w_key, p_key, detail))
        new_wards[p_key].append((w_key, NewWard(w_key, w_code, w_name, named_type)))
    new_province_index = _KeyIndex((key, key) for key in new_provinces)

    plans: dict[str, ProvincePlan] = {}
    plan_by_json_key: dict[str, ProvincePlan] = {}
    new_key_by_old_code: dict[str, str] = {}
    for json_key, json_old_keys in converter["DICT_PROVINCE"].items():
        new_key = matcher.match(new_province_index, json_key, "province", json_key)
        if new_key is None:
            continue
        old_keys = [k for old in json_old_keys if (k := matcher.match(old_province_index, old, "province", new_key))]
        if new_key not in old_keys:
            matcher.report("province", new_key, new_key, "no old province keeps this key, so none continues")
            continue
        code, name = new_provinces[new_key]
        plans[new_key] = plan_by_json_key[json_key] = ProvincePlan(
            key=new_key,
            name=name,
            official_code=code,
            old_keys=old_keys,
            continuing_key=new_key,
            old_codes={k: old_provinces[k][0] for k in old_keys},
            old_names={k: old_provinces[k][1] for k in old_keys},
        )
        for old_key in old_keys:
            new_key_by_old_code[old_provinces[old_key][0]] = new_key

    split_communes: dict[str, int] = {}
    for json_key in [*converter["DICT_PROVINCE_WARD_NO_DIVIDED"], *converter["DICT_PROVINCE_WARD_DIVIDED"]]:
        if json_key not in plan_by_json_key:
            matcher.report("province", json_key, json_key, "communes listed for a province that is not matched")
    for json_key, plan in plan_by_json_key.items():
        merged = converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(json_key, {})
        divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(json_key, {})
        plan.wards = _plan_communes(plan, merged, divided, _KeyIndex(new_wards[plan.key]), old_index, matcher)
        split_communes[plan.key] = len(divided)

    return Mapping2025(
        provinces=plans,
        new_key_by_old_code=new_key_by_old_code,
        unmatched=matcher.unmatched,
        anomalies=matcher.anomalies,
        split_communes=split_communes,
        folded_matches=dict(matcher.folded),
    )


def _plan_communes(
    plan: ProvincePlan,
    merged: dict[str, list[str]],
    divided: dict[str, list[dict[str, Any]]],
    ward_index: _KeyIndex,
    old_index: _KeyIndex,
    matcher: _Matcher,
) -> list[WardPlan]:
    """The new communes of one province with their predecessors, in official-code order."""
    by_ward: dict[str, WardPlan] = {}
    assigned: dict[str, str] = {}  # old key → the new commune it went to whole

    def ward_plan(ward_key: str) -> WardPlan | None:
        ward = matcher.match(ward_index, ward_key, "new_ward", plan.key)
        return None if ward is None else by_ward.setdefault(ward.key, WardPlan(ward))

    def take(target: WardPlan, old: OldArea) -> bool:
        if old.key in assigned:
            detail = f"mapped whole to both {assigned[old.key]} and {target.ward.name}; kept in the first"
            matcher.report("old_key", old.key, plan.key, detail)
            return False
        assigned[old.key] = target.ward.name
        target.predecessors.append(old)
        return True

    for ward_key, old_keys in merged.items():
        target = ward_plan(ward_key)
        for old_key in old_keys:
            old = matcher.match(old_index, old_key, "old_key", plan.key)
            if old is not None and target is not None:
                take(target, old)
            elif old is not None:
                matcher.report("old_key", old_key, plan.key, f"its new commune {ward_key} is unknown")
    for old_key, parts in divided.items():
        old = matcher.match(old_index, old_key, "old_key", plan.key)
        targets = [(ward_plan(part["newWardKey"]), bool(part.get("isDefaultNewWard"))) for part in parts]
        defaults = [target for target, is_default in targets if is_default and target is not None]
        if old is None:
            continue
        if len(defaults) != 1:
            matcher.report("old_key", old_key, plan.key, "split without exactly one known default new commune")
            continue
        default = defaults[0]
        if not take(default, old):
            continue
        others = [target for target, _is_default in targets if target is not None and target is not default]
        default.splits[old.key] = [target.ward.name for target in others]
        for target in others:
            target.parts_from.append(old)
    return sorted(by_ward.values(), key=lambda p: p.ward.official_code)


# Selecting provinces ----------------------------------------------------------------------


class IncompleteSelection(ValidationFailed):
    code = "incomplete_selection"


def plans_for(provinces: Sequence[AdminArea], mapping: Mapping2025 | None = None) -> list[ProvincePlan]:
    """The new provinces that the old ``provinces`` (from :func:`vn_units.load_legacy_provinces`)
    belong to. Every old province of each must be in ``provinces`` or already in the database."""
    mapping = mapping or load_mapping_2025()
    keys = []
    for province in provinces:
        key = mapping.new_key_by_old_code.get(province.official_code)
        if key and key not in keys:
            keys.append(key)
    plans = [mapping.provinces[key] for key in keys]
    selected = {f"VN{p.official_code}" for p in provinces}
    needed = {f"VN{code}": plan.old_names[key] for plan in plans for key, code in plan.old_codes.items()}
    present = set(Unit.objects.filter(code__in=needed).values_list("code", flat=True))
    missing = sorted(code for code in needed if code not in selected | present)
    if missing:
        names = [needed[code] for code in missing]
        raise IncompleteSelection(
            _("The 2025 reorganisation needs every province that merges: import %(names)s as well.")
            % {"names": ", ".join(names)},
            extra={"missing": names},
        )
    return plans


# Applying ---------------------------------------------------------------------------------


@dataclass
class ReorganisationReport:
    provinces: list[str] = field(default_factory=list)  # names of the new provinces
    applied: Counter[str] = field(default_factory=Counter)  # what was done, by step
    already: Counter[str] = field(default_factory=Counter)  # found already applied
    events: Counter[str] = field(default_factory=Counter)  # events recorded, by kind
    unmatched: list[Unmatched] = field(default_factory=list)
    anomalies: list[Unmatched] = field(default_factory=list)
    split_communes: int = 0
    folded_matches: int = 0
    dry_run: bool = False

    @property
    def event_count(self) -> int:
        return sum(self.events.values())


class _DryRun(Exception):
    pass


@dataclass
class _Run:
    by: Any
    report: ReorganisationReport

    def apply(self, step: str, kind: str, day: dt.date, payload: dict[str, Any], **extra: Any) -> None:
        """Apply one event; ``step`` (if not empty) is what the report counts it as."""
        event_apply(by=self.by, kind=kind, effective_on=day, payload=payload, **extra)
        self.report.events[kind] += 1
        if step:
            self.report.applied[step] += 1


def reorganise_2025(
    provinces: Sequence[AdminArea],
    *,
    by: Any = None,
    dry_run: bool = False,
    mapping: Mapping2025 | None = None,
) -> ReorganisationReport:
    """Apply the 2025 reorganisation to the new provinces that ``provinces`` belong to.

    The pre-2025 units of every old province concerned must exist (see
    :func:`lantoa.org.vn_units.import_provinces`). ``by=None`` records the system as the author.
    Safe to run again: what is already applied is counted in ``already`` and left alone. With
    ``dry_run`` everything is applied and then rolled back, so the counts are those of a real run.
    """
    mapping = mapping or load_mapping_2025()
    plans = plans_for(provinces, mapping)
    keys = {plan.key for plan in plans}
    report = ReorganisationReport(
        provinces=[plan.name for plan in plans],
        unmatched=[item for item in mapping.unmatched if item.province in keys],
        anomalies=[item for item in mapping.anomalies if item.province in keys],
        split_communes=sum(mapping.split_communes.get(key, 0) for key in keys),
        folded_matches=sum(mapping.folded_matches.get(key, 0) for key in keys),
        dry_run=dry_run,
    )
    run = _Run(by=by, report=report)
    try:
        with transaction.atomic():
            ensure_default_kinds()
            for plan in plans:
                rename_commission(plan, run)
            for plan in plans:
                merge_provinces(plan, run)
            for plan in plans:
                arrange_communes(plan, run)
                abolish_district_tier(plan, run)
                update_province_area(plan, run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def rename_commission(plan: ProvincePlan, run: _Run) -> None:
    """The Propaganda Commission becomes the Propaganda and Mass Mobilisation Commission."""
    commission = Unit.objects.filter(code=plan.continuing_code + COMMISSION_SUFFIX, kind__code="commission").first()
    if commission is None:
        return
    if commission.names.filter(name=COMMISSION_NAME_2025).exists():
        run.report.already["commission_renamed"] += 1
        return
    run.apply(
        "commission_renamed",
        "rename",
        COMMISSION_RENAMED_ON,
        {"unit": commission.code, "name": COMMISSION_NAME_2025},
        note=COMMISSION_NOTE,
    )


def merge_provinces(plan: ProvincePlan, run: _Run) -> None:
    """Old provinces other than the continuing one merge into it (12 June 2025)."""
    if not plan.closing_codes:
        return
    units = Unit.objects.filter(code__in=plan.closing_codes)
    still_open = [u.code for u in units if u.closed_on is None or u.closed_on > PROVINCES_MERGED_ON]
    if not still_open:
        run.report.already["province_merges"] += 1
        return
    names = ", ".join(plan.old_names[key] for key in plan.old_keys)
    run.apply(
        "province_merges",
        "merge",
        PROVINCES_MERGED_ON,
        {"predecessors": sorted(still_open), "into": plan.continuing_code},
        legal_basis=PROVINCES_LEGAL_BASIS,
        decided_on=PROVINCES_MERGED_ON,
        note=f"Sắp xếp đơn vị hành chính cấp tỉnh năm 2025: {names} → {plan.name}.",
    )


def _old_units(plan: ProvincePlan, run: _Run) -> dict[str, Unit]:
    """The pre-2025 units of the plan by Lantoa code, checked against their official codes."""
    wanted = {old.code: old for ward in plan.wards for old in [*ward.predecessors, *ward.parts_from]}
    units = {u.code: u for u in Unit.objects.filter(code__in=wanted).select_related("kind__tier")}
    day_before = COMMUNES_ON - dt.timedelta(days=1)
    areas = dict(
        UnitArea.objects.filter(selectors.valid_on(day_before), unit__in=units.values()).values_list(
            "unit__code", "official_code"
        )
    )
    for code, old in sorted(wanted.items()):
        expected = old.ward_code or old.district_code
        if code not in units:
            run.report.unmatched.append(Unmatched("unit", old.key, plan.key, f"no unit {code} in the database"))
        elif code in areas and areas[code] != expected:
            run.report.unmatched.append(
                Unmatched(
                    "area",
                    old.key,
                    plan.key,
                    f"unit {code} has the official code {areas[code]}, not {expected}",
                )
            )
            del units[code]
    return units


def _communes_basis(plan: ProvincePlan) -> tuple[str, dt.date | None]:
    return COMMUNES_LEGAL_BASIS.get(plan.key, (COMMUNES_LEGAL_BASIS_DEFAULT, None))


def _note(plan: ProvincePlan, ward_plan: WardPlan) -> str:
    lines = [f"Sắp xếp đơn vị hành chính cấp xã năm 2025: {ward_plan.ward.name} ({plan.name})."]
    for old_key, others in ward_plan.splits.items():
        old = next(o for o in ward_plan.predecessors if o.key == old_key)
        lines.append(
            f"{old.name} ({old.code}) được chia, một phần vào: {', '.join(others)}; "
            "nguồn dữ liệu không có tỷ lệ nên hồ sơ của đơn vị này chuyển cả về đơn vị kế thừa mặc định này."
        )
    if ward_plan.parts_from:
        parts = ", ".join(f"{old.name} ({old.code})" for old in ward_plan.parts_from)
        lines.append(f"Nhận một phần của: {parts} (hồ sơ của các đơn vị này chuyển về đơn vị kế thừa mặc định khác).")
    return "\n".join(lines)


def _continues(ward_plan: WardPlan, units: dict[str, Unit]) -> Unit | None:
    """The old unit that continues as this new commune, if there is one."""
    if len(ward_plan.predecessors) != 1:
        return None
    old = ward_plan.predecessors[0]
    unit = units.get(old.code)
    if unit is None:
        return None
    if old.is_district:
        # An island district without communes that became a special zone: the same territory.
        return unit if ward_plan.ward.ward_type == "Đặc khu" else None
    same = _fold_key(old.ward_key) == _fold_key(ward_plan.ward.key)
    return unit if same and unit.records_since is not None else None


def arrange_communes(plan: ProvincePlan, run: _Run) -> None:
    """The province's commune arrangement of 1 July 2025: one merge event with a group per new
    commune (one resolution decides them all), plus a few events for units that continue."""
    day = COMMUNES_ON
    legal_basis, decided_on = _communes_basis(plan)
    units = _old_units(plan, run)
    existing = set(
        Unit.objects.filter(code__startswith=f"{plan.continuing_code}-{NEW_CODE_MARK}-").values_list("code", flat=True)
    )
    groups: list[dict[str, Any]] = []
    notes: list[str] = []
    for ward_plan in plan.wards:
        ward = ward_plan.ward
        note = _note(plan, ward_plan)
        extra = {"legal_basis": legal_basis, "decided_on": decided_on, "note": note}
        continuing = _continues(ward_plan, units)
        if continuing is not None:
            _continue_unit(plan, ward, continuing, run, extra)
            continue
        code = plan.new_unit_code(ward)
        if code in existing:
            run.report.already["new_communes"] += 1
            continue
        spec = {
            "code": code,
            "name": ward.committee_name,
            "kind": COMMUNE_KIND_BY_TYPE[ward.ward_type],
            "parent": plan.continuing_code,
            "official_code": ward.official_code,
            "area_name": ward.name,
            "area_level": UnitArea.Level.COMMUNE,
        }
        predecessors = [old.code for old in ward_plan.predecessors if old.code in units]
        if predecessors:
            groups.append({"predecessors": predecessors, "new": spec})
            if note:
                notes.append(note)
        else:  # only parts of split communes, each with its default successor elsewhere
            run.apply("new_communes", "create", day, spec, **extra)
            run.report.applied["new_communes_without_predecessor"] += 1
    if groups:
        run.apply(
            "", "merge", day, {"groups": groups}, legal_basis=legal_basis, decided_on=decided_on, note="\n".join(notes)
        )
        run.report.applied["new_communes"] += len(groups)


def _continue_unit(plan: ProvincePlan, ward: NewWard, unit: Unit, run: _Run, extra: dict[str, Any]) -> None:
    day = COMMUNES_ON
    kind = COMMUNE_KIND_BY_TYPE[ward.ward_type]
    changed = False
    if unit.kind.tier.code != "commune" or unit.kind.code != kind:
        if unit.name != ward.committee_name:
            run.apply("", "rename", day, {"unit": unit.code, "name": ward.committee_name}, **extra)
        run.apply("special_zones", "change_kind", day, {"unit": unit.code, "kind": kind}, **extra)
        changed = True
    area = selectors.unit_area(unit, as_of=day)
    if area is None or (area.official_code, area.area_name, area.level) != (
        ward.official_code,
        ward.name,
        UnitArea.Level.COMMUNE,
    ):
        payload = {
            "unit": unit.code,
            "official_code": ward.official_code,
            "area_name": ward.name,
            "level": UnitArea.Level.COMMUNE,
        }
        run.apply("" if changed else "communes_continuing_new_area", "change_area", day, payload, **extra)
        changed = True
    if not changed:
        run.report.already["communes_continuing"] += 1


def abolish_district_tier(plan: ProvincePlan, run: _Run) -> None:
    """The district tier goes on 1 July 2025, after the commune events: children move up, records
    flow to the provincial committee."""
    day = COMMUNES_ON
    province = Unit.objects.get(code=plan.continuing_code)
    tier_units = list(
        selectors.unit_subtree(province, as_of=day - dt.timedelta(days=1))
        .filter(kind__tier__code=DISTRICT_TIER)
        .exclude(pk=province.pk)
        .order_by("code")
    )
    territorial = [u for u in tier_units if u.kind.is_territorial]
    still_open = [u for u in territorial if u.closed_on is None or u.closed_on > day]
    if not still_open:
        run.report.already["district_tier_abolished"] += 1
        return
    extra = {"legal_basis": DISTRICT_TIER_LEGAL_BASIS, "note": f"Không tổ chức cấp huyện ({plan.name})."}
    if len(still_open) == len(tier_units):
        run.apply(
            "district_tier_abolished", "abolish_tier", day, {"within": province.code, "tier": DISTRICT_TIER}, **extra
        )
        run.report.applied["districts_closed"] += len(still_open)
        return
    # Functional committees of the same tier stay: close the territorial ones one by one.
    for unit in still_open:
        run.apply("districts_closed", "close", day, {"unit": unit.code, "successor": province.code}, **extra)
    run.report.applied["district_tier_abolished"] += 1


def update_province_area(plan: ProvincePlan, run: _Run) -> None:
    """The continuing province takes the official code of the new province (Lào Cai: 10 → 15)."""
    province = Unit.objects.get(code=plan.continuing_code)
    area = selectors.unit_area(province, as_of=COMMUNES_ON)
    wanted = (plan.official_code, plan.name, UnitArea.Level.PROVINCE)
    if area is not None and (area.official_code, area.area_name, area.level) == wanted:
        run.report.already["province_areas"] += 1
        return
    run.apply(
        "province_areas",
        "change_area",
        COMMUNES_ON,
        {"unit": province.code, "official_code": plan.official_code, "area_name": plan.name, "level": "province"},
        legal_basis=PROVINCES_LEGAL_BASIS,
        note=f"Mã đơn vị hành chính của {plan.name} từ ngày 1/7/2025.",
    )
