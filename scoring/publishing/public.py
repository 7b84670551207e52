"""What the public may read: released figures only, as typed rows.

Everything public (the site's pages, the open data, the sitemap, search) asks here and
nowhere else, so nothing unreleased can appear: a release is public once approved and
its ``scheduled_for`` has come (:func:`is_public`). A month shows its latest public
release; earlier ones stay readable as its history.

:func:`version` names the public state (which releases are out); caches of public pages
and answers key on it, so a release or a correction going public clears them, on every
app server sharing the cache. It is cached itself until the next scheduled release.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from scoring.engine import Level, level_label, level_short

from .models import Release

VERSION_KEY = "publishing:version"
LEVELS = [int(level) for level in Level]


def is_public(now: datetime.datetime | None = None) -> Q:
    return Q(approved_at__isnull=False, scheduled_for__lte=now or timezone.now())


def version() -> str:
    """A short name of the public state, e.g. "7.1733100000" (one query when not cached)."""
    cached = cache.get(VERSION_KEY)
    if cached is not None:
        return cached
    now = timezone.now()
    public = Release.objects.filter(is_public(now))
    latest = public.order_by("-approved_at").values_list("pk", "approved_at").first()
    stamp = f"{latest[0]}.{int(latest[1].timestamp())}" if latest else "0"
    upcoming = (
        Release.objects.filter(approved_at__isnull=False, scheduled_for__gt=now)
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first()
    )
    timeout = 3600
    if upcoming is not None:
        timeout = max(1, min(timeout, int((upcoming - now).total_seconds()) + 1))
    cache.set(VERSION_KEY, stamp, timeout)
    return stamp


def changed() -> None:
    """A release was approved: the public state is read afresh."""
    cache.delete(VERSION_KEY)


# --- Typed rows -------------------------------------------------------------------------


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass(frozen=True)
class LevelFigure:
    level: int
    label: str
    short: str
    count: int | None  # None: fewer than the minimum, or hidden so it cannot be recovered
    share: Decimal | None


@dataclass(frozen=True)
class PeopleFigures:
    classified: int | None
    levels: list[LevelFigure]
    mean: Decimal | None
    receipts: int
    ratings: int | None
    satisfaction: Decimal | None  # percent of satisfied and very satisfied answers
    response_rate: Decimal | None  # percent of receipts rated

    @classmethod
    def read(cls, data: dict) -> PeopleFigures:
        levels = data.get("levels", {})
        shares = data.get("shares", {})
        return cls(
            classified=data.get("classified"),
            levels=[
                LevelFigure(
                    level,
                    level_label(level),
                    level_short(level),
                    levels.get(str(level)),
                    _decimal(shares.get(str(level))),
                )
                for level in LEVELS
            ],
            mean=_decimal(data.get("mean")),
            receipts=data.get("receipts", 0),
            ratings=data.get("ratings"),
            satisfaction=_decimal(data.get("satisfaction")),
            response_rate=_decimal(data.get("response_rate")),
        )


@dataclass(frozen=True)
class PublicLeader:
    """A unit head's own month, published only with ``PUBLISH_LEADER_RESULTS``."""

    name: str
    position: str
    total: Decimal | None
    level: int | None

    @property
    def level_label(self) -> str:
        return level_label(self.level) if self.level else ""


@dataclass(frozen=True)
class PublicUnit:
    code: str
    name: str
    kind: str
    kind_name: str
    submitted: bool
    figures: PeopleFigures
    leaders: tuple[PublicLeader, ...] = ()


@dataclass(frozen=True)
class PublicDesk:
    code: str
    name: str
    unit: str
    figures: PeopleFigures


@dataclass(frozen=True)
class PublicRelease:
    """One month as released (its latest public release, unless asked for another)."""

    year: int
    month: int
    number: int
    public_from: datetime.datetime
    correction_note: str
    minimum: int
    units_count: int
    units_reporting: int
    locality: PeopleFigures
    units: list[PublicUnit] = field(default_factory=list)
    desks: list[PublicDesk] = field(default_factory=list)
    earlier: list[int] = field(default_factory=list)  # numbers of the earlier releases

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def is_correction(self) -> bool:
        return self.number > 1

    def unit(self, code: str) -> PublicUnit | None:
        return next((unit for unit in self.units if unit.code == code), None)


def _read(release: Release, earlier: list[int]) -> PublicRelease:
    data = release.figures or {}
    locality = data.get("locality", {})
    return PublicRelease(
        year=release.period.year,
        month=release.period.month,
        number=release.number,
        # Public from its time, or from its approval when that came later.
        public_from=max(release.scheduled_for, release.approved_at or release.scheduled_for),
        correction_note=release.correction_note,
        minimum=data.get("minimum", 10),
        units_count=locality.get("units", 0),
        units_reporting=locality.get("units_reporting", 0),
        locality=PeopleFigures.read(locality),
        units=[
            PublicUnit(
                row["code"],
                row["name"],
                row.get("kind", ""),
                row.get("kind_name", ""),
                row.get("submitted", False),
                PeopleFigures.read(row),
                tuple(
                    PublicLeader(
                        leader["name"],
                        leader["position"],
                        _decimal(leader.get("total")),
                        leader.get("level"),
                    )
                    for leader in row.get("leaders", [])
                ),
            )
            for row in data.get("units", [])
        ],
        desks=[
            PublicDesk(row["code"], row["name"], row.get("unit", ""), PeopleFigures.read(row))
            for row in data.get("desks", [])
        ],
        earlier=earlier,
    )


def _public_releases(now=None):
    return (
        Release.objects.filter(is_public(now))
        .select_related("period")
        .order_by("-period__year", "-period__month", "-number")
    )


def released_months(now: datetime.datetime | None = None) -> list[PublicRelease]:
    """Every released month, newest first, each as its latest public release (one query)."""
    months: dict[int, PublicRelease] = {}
    numbers: dict[int, list[int]] = {}
    latest: dict[int, Release] = {}
    for release in _public_releases(now):
        if release.period_id in latest:
            numbers[release.period_id].append(release.number)
            continue
        latest[release.period_id] = release
        numbers[release.period_id] = []
    for period_id, release in latest.items():
        months[period_id] = _read(release, sorted(numbers[period_id]))
    return list(months.values())


def released_month(
    year: int, month: int, number: int | None = None, now: datetime.datetime | None = None
) -> PublicRelease | None:
    """One released month (its latest public release, or release ``number`` of it);
    None when it is not public, whatever exists unreleased."""
    releases = list(_public_releases(now).filter(period__year=year, period__month=month))
    if not releases:
        return None
    chosen = (
        releases[0] if number is None else next((r for r in releases if r.number == number), None)
    )
    if chosen is None:
        return None
    earlier = sorted(r.number for r in releases if r.number < chosen.number)
    return _read(chosen, earlier)


def unit_months(
    code: str, now: datetime.datetime | None = None
) -> list[tuple[PublicRelease, PublicUnit]]:
    """A unit's released months, newest first, each with the unit's row."""
    return [
        (release, unit)
        for release in released_months(now)
        if (unit := release.unit(code)) is not None
    ]


def released_unit_codes(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
    """Every unit that appears in a released month: (code, name), by name."""
    seen: dict[str, str] = {}
    for release in released_months(now):
        for unit in release.units:
            seen.setdefault(unit.code, unit.name)
    return sorted(seen.items(), key=lambda item: item[1])
