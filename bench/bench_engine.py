"""Benchmark of the pure scoring engine on realistic Decree 335/2025/NĐ-CP sheets.

Run from the repository root: ``.venv/bin/python bench/bench_engine.py [sheets]``.
Each sheet has 4 manual general lines totalling 30 points, a task-result line of 70 with
5 to 15 work items (decisions 1.0, reports 0.5, ...), a bonus and a deduction line. Needs
no Django settings: the engine returns untranslated explanations when none are set.
"""

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.engine import (  # noqa: E402 (needs the repository root on sys.path)
    CriterionKind,
    LineInput,
    TaskResultInput,
    WorkItemInput,
    score_sheet,
)

GENERAL_MAXIMA = (Decimal(10), Decimal(5), Decimal(10), Decimal(5))
WEIGHTS = (Decimal("1.0"), Decimal("0.5"), Decimal("0.75"), Decimal("0.25"))
TENTHS = Decimal("0.1")


def random_points(rng: random.Random, maximum: Decimal, low: float = 0.0) -> Decimal:
    """Points between ``low`` × maximum and maximum, in steps of 0.1 (as people enter)."""
    return (maximum * Decimal(str(rng.uniform(low, 1.0)))).quantize(TENTHS)


def random_item(rng: random.Random) -> WorkItemInput:
    """A work item: mostly done, occasionally late or failing review."""
    return WorkItemInput(
        weight=rng.choice(WEIGHTS),
        quantity=Decimal(rng.randint(1, 4)),
        done=rng.random() < 0.9,
        delays=rng.choice((0, 0, 0, 0, 1, 2)),
        major_errors=rng.choice((0, 0, 0, 0, 0, 1, 4)),
        objective_cause=rng.random() < 0.05,
    )


def random_sheet(rng: random.Random) -> list[LineInput]:
    """One sheet: 4 manual lines (30), task results (70), a bonus and a deduction."""
    lines = [
        LineInput(
            f"general-{index}", CriterionKind.MANUAL, maximum, random_points(rng, maximum, 0.6)
        )
        for index, maximum in enumerate(GENERAL_MAXIMA, start=1)
    ]
    items = tuple(random_item(rng) for _ in range(rng.randint(5, 15)))
    lines.append(
        LineInput("tasks", CriterionKind.TASK_RESULT, Decimal(70), computed=TaskResultInput(items))
    )
    bonus = random_points(rng, Decimal(10)) if rng.random() < 0.2 else None
    lines.append(LineInput("bonus", CriterionKind.BONUS, Decimal(10), bonus))
    deduction = random_points(rng, Decimal(10)) if rng.random() < 0.1 else None
    discipline = deduction is not None and rng.random() < 0.05
    lines.append(
        LineInput("deduction", CriterionKind.DEDUCTION, Decimal(10), deduction, discipline)
    )
    return lines


def main(count: int = 20_000, seed: int = 335) -> None:
    """Build ``count`` sheets, score them all and print the time and throughput."""
    rng = random.Random(seed)
    sheets = [random_sheet(rng) for _ in range(count)]
    started = time.perf_counter()
    results = [score_sheet(lines) for lines in sheets]
    elapsed = time.perf_counter() - started
    levels = {level: sum(1 for r in results if r.level == level) for level in (1, 2, 3, 4)}
    print(f"scored {count} sheets in {elapsed:.3f} s: {count / elapsed:,.0f} sheets/s")
    print(f"levels: {levels}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
