"""The objectivity checks' arithmetic: each one a signal to look at, never a change."""

from decimal import Decimal

from scoring.engine.objectivity import (
    SignalKind,
    Thresholds,
    formalism,
    satisfaction_mismatch,
    score_gap,
    sudden_drop,
    unit_above_peers,
)
from tests.scoring.engine import _vietnamese_by_default  # noqa: F401 (overrides tests/conftest.py)

T = Thresholds()
D = Decimal


def test_an_evaluator_who_gave_12_identical_totals_is_flagged() -> None:
    totals = [(key, D("85")) for key in range(12)]
    lines = [(key, (D(key), D("70"))) for key in range(12)]  # the lines differ, the totals not
    signal = formalism(totals, lines, T)
    assert signal is not None and signal.kind == SignalKind.FORMALISM
    assert signal.figure == 1 and len(signal.keys) == 12


def test_identical_lines_are_flagged_too() -> None:
    totals = [(key, D(80 + key % 2)) for key in range(10)]
    lines = [(key, (D("20"), D("60"))) for key in range(10)]
    signal = formalism(totals, lines, T)
    assert signal is not None and len(signal.keys) == 10


def test_varied_totals_are_not_formalism() -> None:
    totals = [(key, D(70 + key)) for key in range(12)]
    assert formalism(totals, [(k, (v,)) for k, v in totals], T) is None


def test_few_sheets_say_nothing_about_formalism() -> None:
    totals = [(key, D("85")) for key in range(4)]
    assert formalism(totals, [(k, (v,)) for k, v in totals], T) is None


def test_a_lenient_evaluator_is_flagged_with_the_direction() -> None:
    pairs = [(1, D("80"), D("88")), (2, D("75"), D("82")), (3, D("70"), D("76"))]
    signal = score_gap(pairs, T)
    assert signal is not None and signal.kind == SignalKind.LENIENCY
    assert signal.figure == D("7")


def test_a_severe_evaluator_is_flagged_with_the_direction() -> None:
    pairs = [(1, D("90"), D("70")), (2, D("85"), D("75")), (3, D("80"), D("74"))]
    signal = score_gap(pairs, T)
    assert signal is not None and signal.kind == SignalKind.SEVERITY


def test_small_gaps_are_not_leniency() -> None:
    pairs = [(1, D("80"), D("82")), (2, D("75"), D("74")), (3, D("70"), D("71"))]
    assert score_gap(pairs, T) is None


def test_a_drop_from_88_to_55_with_no_reason_is_flagged() -> None:
    signal = sudden_drop(D("55"), [D("88"), D("88"), D("88")], has_reason=False, thresholds=T)
    assert signal is not None and signal.kind == SignalKind.SUDDEN_DROP
    assert signal.figure == D("33")


def test_the_same_drop_with_a_reason_is_not() -> None:
    assert sudden_drop(D("55"), [D("88")], has_reason=True, thresholds=T) is None


def test_a_first_month_has_no_drop() -> None:
    assert sudden_drop(D("55"), [], has_reason=False, thresholds=T) is None


def test_a_unit_far_above_its_peers_is_flagged() -> None:
    signal = unit_above_peers(D("97"), [D("78"), D("80"), D("82"), D("79")], T)
    assert signal is not None and signal.kind == SignalKind.UNIT_ABOVE_PEERS


def test_a_unit_among_its_peers_is_not() -> None:
    assert unit_above_peers(D("83"), [D("78"), D("80"), D("82"), D("79")], T) is None


def test_a_unit_with_too_few_peers_says_nothing() -> None:
    assert unit_above_peers(D("99"), [D("70"), D("71")], T) is None


def test_an_officer_at_level_1_with_low_satisfaction_is_flagged() -> None:
    signal = satisfaction_mismatch(1, D("0.3"), 20, T)
    assert signal is not None and signal.kind == SignalKind.HIGH_LEVEL_LOW_SATISFACTION


def test_an_officer_at_level_3_with_high_satisfaction_is_flagged() -> None:
    signal = satisfaction_mismatch(3, D("0.95"), 20, T)
    assert signal is not None and signal.kind == SignalKind.LOW_LEVEL_HIGH_SATISFACTION


def test_few_ratings_say_nothing_about_an_officer() -> None:
    assert satisfaction_mismatch(1, D("0.1"), 5, T) is None
    assert satisfaction_mismatch(2, D("0.1"), 50, T) is None
