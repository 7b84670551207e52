"""Statistical disclosure control for published tables: primary and secondary suppression.

Aggregates only, and no figure about fewer than ``minimum`` people (or ratings) may be
published or recovered. :func:`suppress` takes a table of counts (rows such as units,
columns such as "classified" and the counts per level) whose row and column totals are
published elsewhere, and answers which cells to hide:

1. **Primary**: a cell counting between 1 and ``minimum - 1``; and every cell of a row
   whose ``size`` (its first column unless given) is below ``minimum``, zeros included
   (in a unit of five, "nobody failed" is a figure about each of the five).
2. **Secondary**: a row or a column with exactly one hidden cell would give it away by
   subtraction from its published total, so its smallest visible cell is hidden too
   (non-zero first, as statistics offices do); repeated until no row or column has
   exactly one. A row or column that cannot hide a second cell (nothing visible is left)
   is already safe: all its cells are hidden.
"""

from __future__ import annotations

from collections.abc import Sequence


def suppress(
    table: Sequence[Sequence[int]], minimum: int, sizes: Sequence[int] | None = None
) -> list[list[bool]]:
    """The hidden cells of ``table`` (True: show "fewer than ``minimum``")."""
    hidden = [[0 < value < minimum for value in row] for row in table]
    for index, row in enumerate(table):
        size = sizes[index] if sizes is not None else (row[0] if row else 0)
        if size < minimum:
            hidden[index] = [True] * len(row)
    columns = max((len(row) for row in table), default=0)
    changed = True
    while changed:
        changed = False
        for index, row in enumerate(table):
            cells = [(value, column) for column, value in enumerate(row)]
            changed |= _second(cells, hidden[index], lambda column, i=index: (i, column), hidden)
        for column in range(columns):
            cells = [(row[column], index) for index, row in enumerate(table) if column < len(row)]
            marks = [hidden[index][column] for _value, index in cells]
            changed |= _second(
                [(value, index) for value, index in cells],
                marks,
                lambda index, c=column: (index, c),
                hidden,
            )
    return hidden


def _second(cells, marks, where, hidden) -> bool:
    """Hide the smallest visible cell of a line with exactly one hidden; True if so."""
    if sum(1 for mark in marks if mark) != 1:
        return False
    visible = [
        (value == 0, value, key)
        for (value, key), mark in zip(cells, marks, strict=True)
        if not mark
    ]
    if not visible:
        return False
    _zero, _value, key = min(visible)
    row, column = where(key)
    hidden[row][column] = True
    return True


def suppress_column(values: Sequence[int], minimum: int) -> list[bool]:
    """One column whose total is published (e.g. each unit's ratings)."""
    return [row[0] for row in suppress([[v] for v in values], minimum, sizes=list(values))]
