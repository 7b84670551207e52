"""The example systemd units and the Procfile run commands that exist, with the settings
they need: a renamed command or module breaks this test, not a province's deployment."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
TIMERS = sorted((ROOT / "deploy" / "systemd").glob("*.timer"))


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    # systemd repeats keys (the ExecStart lines of a oneshot): number the repeats.
    lines = []
    seen: dict[str, int] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            seen[key] = seen.get(key, 0) + 1
            line = f"{key}#{seen[key]}={value}" if seen[key] > 1 else line
        lines.append(line)
    parser.read_string("\n".join(lines))
    return parser


def commands_of(parser: configparser.ConfigParser) -> list[list[str]]:
    service = parser["Service"]
    return [shlex.split(service[key]) for key in service if key.split("#")[0] == "ExecStart"]


def check_command(argv: list[str]) -> None:
    program = Path(argv[0]).name
    if program == "gunicorn":
        module = argv[1].split(":")[0]
        assert (ROOT / Path(*module.split("."))).with_suffix(".py").exists(), argv
    elif program.startswith("python"):
        assert argv[1] == "manage.py", argv
        assert argv[2] in get_commands(), f"no management command {argv[2]!r}"
    else:
        script = ROOT / Path(argv[0]).relative_to("/srv/portal")
        assert script.exists(), f"{argv[0]} is not in the repository"


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_a_real_command_with_the_production_settings(path):
    parser = unit(path)
    commands = commands_of(parser)
    assert commands, f"{path.name} starts nothing"
    for argv in commands:
        check_command(argv)
    service = parser["Service"]
    assert service["WorkingDirectory"] == "/srv/portal"
    assert service["EnvironmentFile"] == "/srv/portal/.env"
    if not path.name.startswith("portal-backup"):
        assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in service["Environment"]
    assert service.get("User") == "portal", "no unit runs as root"


@pytest.mark.parametrize("path", TIMERS, ids=lambda path: path.name)
def test_each_timer_starts_its_service(path):
    assert (path.with_suffix(".service")).exists()
    assert unit(path)["Timer"]["OnCalendar"]


def test_the_procfile_runs_the_app_servers_the_workers_and_the_migrations():
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line and not line.startswith("#"):
            name, command = line.split(":", 1)
            processes[name] = shlex.split(command)
    assert set(processes) == {"release", "web", "worker"}
    for argv in processes.values():
        check_command(argv)
    assert processes["release"][2] == "migrate"
    assert processes["worker"][2] == "db_worker"
