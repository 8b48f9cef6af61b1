"""The ``govreport`` command. Each sub-command lives in its own module and is imported only when used,
so ``govreport parse`` never pays for pandas, DuckDB or the web stack."""

from __future__ import annotations

import importlib

import click

from govreport import __version__

# name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "parse": "govreport.cli.parse:parse_cmd",
    "eval": "govreport.quality.evaluate:eval_cmd",
    "check": "govreport.quality.check:check_cmd",
    "serve": "govreport.cli.web:serve_cmd",
    "ingest": "govreport.cli.corpus:ingest_cmd",
    "reports": "govreport.cli.corpus:reports_cmd",
    "show": "govreport.cli.corpus:show_cmd",
    "sql": "govreport.cli.corpus:sql_cmd",
    "attention": "govreport.cli.attention:attention_cmd",
    "kwic": "govreport.cli.attention:kwic_cmd",
    "terms": "govreport.cli.attention:terms_cmd",
    "panel": "govreport.cli.tables:panel_cmd",
    "track": "govreport.cli.tables:track_cmd",
    "escalation": "govreport.cli.tables:escalation_cmd",
    "codebook": "govreport.cli.tables:codebook_cmd",
    "promises": "govreport.cli.promises:promises_cmd",
    "review": "govreport.cli.review:review_cmd",
    "flags": "govreport.cli.tables:flags_cmd",
    "calibrate": "govreport.quality.calibration:calibrate_cmd",
}


# name -> first paragraph of the command's help: `govreport --help` lists commands from here, importing none of
# them (a test checks these match the commands' own help)
SUMMARIES: dict[str, str] = {
    "parse": "Parse work reports (txt in any encoding, html, docx, pdf, csv/jsonl corpora, directories).",
    "eval": "Score RECORDS (from `govreport parse`) against GOLD records.",
    "check": "Coverage of corpora without gold: each PATH is one corpus (a folder or a file).",
    "serve": "Start the web app on http://127.0.0.1:PORT to read, check and compare reports.",
    "ingest": "Parse report files into the corpus database (incremental: unchanged files are skipped).",
    "reports": "List the reports stored in the corpus (ids are shown whole; `show` also takes a unique prefix).",
    "show": "Show one report (by id or unique id prefix): metadata, targets and actuals with their evidence.",
    "sql": "Run a read-only SQL query on the corpus (tables: reports, targets, actuals, sections, warnings, tasks, "
           "commitments, livelihood, files, reviews).",
    "attention": "Count theme-dictionary terms per report and section (per 10,000 characters).",
    "kwic": "Keyword in context for a TERM or a whole theme, with report, section and offsets.",
    "terms": "Word frequencies (rjieba, genre stop words, slogans kept whole), distinctive terms, new terms by year.",
    "panel": "Targets and actuals as a panel (long, or --wide).",
    "track": "Target vs actual: did each region reach the target it set for a year?",
    "escalation": "层层加码: each region's target beside its parent's, with the markup in points.",
    "codebook": "Describe every column, unit and indicator code of the tables, and the Stata name of each column "
                "whose name is too long for Stata (printed as tab-separated section, name, description, unit).",
    "promises": "Commitments of year Y (report planning Y) beside the achievements reported for Y "
                "(report reviewing Y).",
    "review": "Values to check, riskiest first (flagged, then lowest confidence), each with an id to decide on.",
    "flags": "Values flagged as implausible: out of range, a level jump against the same region's next or "
             "previous year, a target far from its peers' (report_id, kind, idx, flag, detail).",
    "calibrate": "Reliability of the values' confidence against GOLD files: predicted confidence vs observed "
                 "precision.",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list without importing the commands (which would pull in pandas, DuckDB, FastAPI)."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        with formatter.section("Commands"):
            formatter.write_dl([(n, click.utils.make_default_short_help(SUMMARIES[n], limit)) for n in names])

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
