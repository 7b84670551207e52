"""Primary and secondary suppression of published counts."""

from scoring.engine.suppression import suppress, suppress_column


def recoverable(table, hidden) -> bool:
    """Whether a hidden cell is alone in its row or its column (then its published total
    gives it away by subtraction)."""
    rows = any(sum(row) == 1 for row in hidden)
    columns = any(sum(row[c] for row in hidden) == 1 for c in range(len(table[0])))
    return rows or columns


def test_nine_is_hidden_and_ten_is_shown():
    assert suppress([[9]], 10) == [[True]]
    assert suppress([[10]], 10) == [[False]]


def test_a_unit_of_fewer_than_ten_hides_every_figure_even_zeros():
    assert suppress([[9, 0, 9, 0, 0]], 10) == [[True] * 5]


def test_one_small_cell_in_a_row_hides_a_second_so_the_total_cannot_give_it_away():
    # 40 classified: 12, 20, 5, 3 -> 5 and 3 are primary; nothing more needed in the row
    table = [[40, 12, 20, 5, 3], [60, 15, 30, 15, 0]]
    hidden = suppress(table, 10)
    assert hidden[0][3] and hidden[0][4]
    assert not recoverable(table, hidden)


def test_a_lone_small_cell_gets_a_partner_in_its_row_and_its_column():
    table = [[50, 12, 30, 8, 0], [60, 15, 30, 15, 0], [45, 10, 20, 15, 0]]
    hidden = suppress(table, 10)
    assert hidden[0][3]  # 8: primary
    assert sum(hidden[0]) >= 2  # a second cell of its row
    assert sum(row[3] for row in hidden) >= 2  # a second cell of its column
    assert not recoverable(table, hidden)


def test_the_partner_is_the_smallest_visible_non_zero_cell():
    hidden = suppress([[50, 11, 30, 9, 0]], 10)
    assert hidden == [[False, True, False, True, False]]


def test_nothing_is_hidden_when_every_figure_is_at_least_the_minimum():
    table = [[40, 10, 20, 10, 0], [30, 10, 10, 10, 0]]
    assert not any(any(row) for row in suppress(table, 10))


def test_a_column_of_ratings_hides_a_second_cell_beside_a_lone_small_one():
    assert suppress_column([120, 4, 60], 10) == [False, True, True]
    assert suppress_column([120, 40, 60], 10) == [False, False, False]
