"""The month commands for cron: open, advance and close, each safe to run again."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from scoring.cycle import periods
from scoring.models import Evaluation, Period

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_opening_a_month_makes_the_sheets_and_a_second_run_creates_nothing(locality):
    first = run("open_period", "2026-03")
    assert "12" in first and "03/2026" in first
    second = run("open_period", "2026-03")
    assert Evaluation.objects.count() == 12 and Period.objects.count() == 1
    assert "03/2026" in second and " 0 " in f" {second} "


def test_opening_takes_the_deadlines_given(locality):
    run("open_period", "2026-03", "--self-deadline", "2026-04-02")
    period = Period.objects.get(year=2026, month=3)
    assert period.self_deadline == datetime.date(2026, 4, 2)
    assert period.plan_deadline == periods.default_deadlines(2026, 3)["plan_deadline"]


def test_opening_names_the_people_without_an_evaluator(locality):
    locality["commune_chair"].assignments.update(end_date=datetime.date(2026, 2, 28))
    output = run("open_period", "2026-03")
    assert "Giàng Thị Công" in output and "Sùng Seo Phó" in output


@pytest.mark.parametrize(
    "args",
    [
        ("2026-13",),
        ("March",),
        ("2026-03", "--plan-deadline", "2026-02-30"),
        ("2026-03", "--plan-deadline", "2026-04-20", "--self-deadline", "2026-04-03"),
    ],
    ids=["no such month", "not a month", "no such day", "deadlines out of order"],
)
def test_bad_input_is_a_command_error_and_opens_nothing(locality, args):
    with pytest.raises(CommandError):
        run("open_period", *args)
    assert not Period.objects.exists()


def test_a_month_moves_forward_and_running_it_again_changes_nothing(locality):
    run("open_period", "2026-03")
    run("advance_period", "2026-03", "self_scoring")
    assert Period.objects.get().state == Period.State.SELF_SCORING
    run("advance_period", "2026-03", "self_scoring")
    assert Period.objects.get().state == Period.State.SELF_SCORING


def test_a_month_does_not_move_back(locality):
    run("open_period", "2026-03")
    run("advance_period", "2026-03", "evaluation")
    with pytest.raises(CommandError):
        run("advance_period", "2026-03", "self_scoring")
    assert Period.objects.get().state == Period.State.EVALUATION


@pytest.mark.parametrize("command", ["advance_period", "close_period"])
def test_a_month_never_opened_is_a_command_error(locality, command):
    args = ("2026-03", "evaluation") if command == "advance_period" else ("2026-03",)
    with pytest.raises(CommandError, match="03/2026"):
        run(command, *args)


def test_an_unknown_state_is_a_command_error(locality):
    run("open_period", "2026-03")
    with pytest.raises(CommandError):
        run("advance_period", "2026-03", "approved")


def test_closing_freezes_the_month_and_closing_again_says_so(locality):
    run("open_period", "2026-03")
    output = run("close_period", "2026-03", "--exception", "kiểm thử")
    period = Period.objects.get()
    assert period.is_closed and "12" in output
    assert not Evaluation.objects.filter(level__isnull=True).exists()
    again = run("close_period", "2026-03", "--exception", "kiểm thử")
    assert "03/2026" in again and Period.objects.get().closed_at == period.closed_at


def test_a_closed_month_cannot_be_opened_or_moved(locality):
    run("open_period", "2026-03")
    run("advance_period", "2026-03", "closed", "--exception", "kiểm thử")
    assert Period.objects.get().is_closed
    with pytest.raises(CommandError):
        run("open_period", "2026-03")
    with pytest.raises(CommandError):
        run("advance_period", "2026-03", "evaluation")
    assert "03/2026" in run("advance_period", "2026-03", "closed")  # already there: exit 0
    assert Evaluation.objects.count() == 12
