"""docs/ci/content-check.yml, the workflow content repositories copy: it parses, runs the steps
contributing-content.md describes, and every `taawun` command in it is one our own command line
accepts, so the file cannot drift from the CLI."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import _parser

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / "docs" / "ci" / "content-check.yml"


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow["jobs"]["check"]["steps"]
    return found


def commands(workflow: dict[Any, Any]) -> list[list[str]]:
    """Every command line of every `run` step, split as the shell would."""
    lines = [line for step in steps(workflow) for line in str(step.get("run", "")).splitlines()]
    return [shlex.split(line) for line in lines if line.strip()]


def test_it_runs_on_pull_requests_and_pushes_to_main(workflow: dict[Any, Any]) -> None:
    triggers: dict[str, Any] = workflow[True]  # YAML 1.1 reads the bare key `on` as true
    assert set(triggers) == {"pull_request", "push"}
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}


def test_the_steps_in_order(workflow: dict[Any, Any]) -> None:
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "",
        "",
        "",
        "actions/upload-artifact",
    ]
    python = steps(workflow)[1]["with"]
    assert (python["python-version"], python["cache"]) == ("3.12", "pip")
    assert steps(workflow)[-1]["with"]["path"] == "public"
    run = [c[:2] for c in commands(workflow)]
    assert run == [["pip", "install"], ["taawun", "check"], ["taawun", "build"]]


def test_taawun_is_installed_from_a_git_url(workflow: dict[Any, Any]) -> None:
    requirement = commands(workflow)[0][2]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert re.fullmatch(
        rf"{project['name']} @ git\+https://github\.com/OWNER/taawun@v\d+\.\d+\.\d+", requirement
    )


def test_every_taawun_command_is_accepted_by_the_cli(workflow: dict[Any, Any]) -> None:
    parser = _parser()
    parsed = [
        parser.parse_args(argv[1:]) for argv in commands(workflow) if argv[0] == "taawun"
    ]  # argparse exits (SystemExit 2) on an option it does not know
    check, build = parsed
    assert (check.command, check.format, check.lang) == ("check", "github", "fr")
    assert (build.command, str(build.output)) == ("build", "public")
    assert str(check.content) == str(build.content) == "content"


def test_a_changed_option_would_be_caught() -> None:
    """The check above is real: a command our CLI does not know makes argparse exit."""
    with pytest.raises(SystemExit):
        _parser().parse_args(shlex.split("check --format gitlab"))
