"""Fast start (issue 13): listing commands and importing the package load none of the heavy libraries."""

from __future__ import annotations

import importlib
import subprocess
import sys

from govreport.cli.main import COMMANDS, SUMMARIES

HEAVY = ("pandas", "duckdb", "pyarrow", "fastapi", "govreport.parsing.pipeline")


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_help_lists_every_command_without_importing_them():
    out = _run("import sys\nfrom govreport.cli.main import main\ncode = main(['--help'], standalone_mode=False)\n"
               f"print('LOADED', [m for m in {HEAVY!r} if m in sys.modules])")
    assert all(f"  {name} " in out for name in COMMANDS)
    assert "LOADED []" in out


def test_import_govreport_is_light_and_the_api_still_resolves():
    out = _run(f"import sys, govreport\nprint([m for m in {HEAVY!r} if m in sys.modules])\n"
               "print(callable(govreport.parse_text), govreport.GovreportError.__name__)")
    assert out.splitlines() == ["[]", "True GovreportError"]


def test_listed_summaries_are_the_commands_own_help():
    assert set(SUMMARIES) == set(COMMANDS)
    for name, target in COMMANDS.items():
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert " ".join(command.help.split("\n\n")[0].split()) == SUMMARIES[name], name
