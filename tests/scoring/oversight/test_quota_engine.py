"""The quota arithmetic, on the worked examples of Decree 335/2025/NĐ-CP and Hà Nội 3814."""

import contextlib
from decimal import Decimal

from scoring.engine.quota import DECREE_335, QuotaCap, QuotaPerson, check_group, share_cap
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)


def people(*levels_and_totals) -> list[QuotaPerson]:
    return [
        QuotaPerson(key, Decimal(total), level)
        for key, (level, total) in enumerate(levels_and_totals, start=1)
    ]


def group(excellent: list[str], good: int, others: int = 0) -> list[QuotaPerson]:
    return people(
        *((1, total) for total in excellent),
        *((2, "80") for _ in range(good)),
        *((3, "60") for _ in range(others)),
    )


def test_three_at_level_1_against_ten_at_level_2_break_a_cap_of_two() -> None:
    checked = check_group(group(["95", "91.5", "93"], good=10), DECREE_335)
    assert checked.counts == {1: 3, 2: 10, 3: 0, 4: 0}
    assert checked.cap == 2
    assert checked.broken and checked.excess == 1
    assert [p.total for p in checked.margin] == [Decimal("91.5")]
    assert [p.total for p in checked.ranked] == [Decimal("91.5"), Decimal("93"), Decimal("95")]


def test_two_at_level_1_against_ten_at_level_2_keep_the_cap() -> None:
    checked = check_group(group(["95", "93"], good=10), DECREE_335)
    assert checked.cap == 2 and not checked.broken and checked.margin == ()


def test_a_cap_is_rounded_down_to_whole_people() -> None:
    assert share_cap(Decimal("0.2"), 7) == 1
    assert share_cap(Decimal("0.2"), 4) == 0
    assert share_cap(Decimal("0.3"), 10) == 3


def test_nobody_at_level_2_means_nobody_can_be_at_level_1() -> None:
    checked = check_group(group(["92"], good=0, others=3), DECREE_335)
    assert checked.cap == 0 and checked.broken
    assert checked.margin[0].total == Decimal("92")


def test_nobody_at_level_2_is_said_in_words() -> None:
    with english():
        checked = check_group(group(["92"], good=0), DECREE_335)
    assert checked.explanation.startswith("Nobody is at level 2, so nobody can be at level 1")
    assert "(the cap is 0)" in checked.explanation


def english():
    """English words whether or not Django runs (without it the engine speaks English)."""
    try:
        from django.conf import settings
        from django.utils import translation

        return translation.override("en") if settings.configured else contextlib.nullcontext()
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()


def test_thirty_percent_of_everyone_scored() -> None:
    cap = QuotaCap(share_of_all=Decimal("0.3"))
    checked = check_group(group(["95", "94", "93", "92"], good=6), cap)  # 10 people
    assert checked.cap == 3 and checked.excess == 1
    assert checked.margin[0].total == Decimal("92")


def test_forty_percent_in_an_exceptional_unit() -> None:
    cap = QuotaCap(share_of_all=Decimal("0.4"))
    checked = check_group(group(["95", "94", "93", "92"], good=6), cap)
    assert checked.cap == 4 and not checked.broken


def test_both_caps_the_stricter_holds() -> None:
    cap = QuotaCap(share_of_good=Decimal("0.2"), share_of_all=Decimal("0.3"))
    checked = check_group(group(["95", "94", "93"], good=7), cap)  # 20% of 7 = 1, 30% of 10 = 3
    assert checked.cap == 1 and checked.excess == 2


def test_a_tie_at_the_margin_is_told() -> None:
    checked = check_group(group(["92", "92", "95"], good=10), DECREE_335)
    assert checked.excess == 1 and checked.tie_at_margin


def test_no_cap_no_check() -> None:
    checked = check_group(group(["95", "94"], good=1), QuotaCap())
    assert checked.cap is None and not checked.broken
