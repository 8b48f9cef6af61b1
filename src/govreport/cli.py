"""The ``govreport`` command. Each sub-command lives in its own module and is imported only when used,
so ``govreport parse`` never pays for pandas, DuckDB or the web stack."""

from __future__ import annotations

import importlib

import click

from govreport import __version__

# name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "parse": "govreport.cli_parse:parse_cmd",
    "eval": "govreport.evaluate:eval_cmd",
    "check": "govreport.check:check_cmd",
    "serve": "govreport.cli_web:serve_cmd",
    "ingest": "govreport.cli_corpus:ingest_cmd",
    "reports": "govreport.cli_corpus:reports_cmd",
    "show": "govreport.cli_corpus:show_cmd",
    "sql": "govreport.cli_corpus:sql_cmd",
    "attention": "govreport.cli_attention:attention_cmd",
    "kwic": "govreport.cli_attention:kwic_cmd",
    "terms": "govreport.cli_attention:terms_cmd",
    "panel": "govreport.cli_tables:panel_cmd",
    "track": "govreport.cli_tables:track_cmd",
    "escalation": "govreport.cli_tables:escalation_cmd",
    "codebook": "govreport.cli_tables:codebook_cmd",
    "promises": "govreport.cli_promises:promises_cmd",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govreport")
def main() -> None:
    """Turn Chinese government work reports into grounded, research-grade data."""
