"""The ``govreport`` application object, its global options and how a command fails.

A module of its own so that the command modules (``cli``, ``cli_batch``) both build on it and
neither imports the other back.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="govreport:法治政府建设情况报告审阅助手——检查各部分覆盖、缺失要素、套话和与上一年度雷同的文字。"
         "(govreport: analyse Chinese annual reports on building law-based government.)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain Click help: Typer's Rich help formatter costs ~0.13 s of imports per run
)
corpus_app = typer.Typer(help="语料步骤:检查并构建标注语料。", no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(corpus_app, name="corpus")

EXIT_BAD_INPUT = 2
EXIT_BROKEN_INSTALL = 3  # a shipped asset (lexicon, model, exemplars…) is missing or damaged


_verbose = False  # --verbose: add the technical (English) detail after the Chinese sentence


def fail(message: str, code: int = EXIT_BAD_INPUT, *, detail: str | None = None) -> None:
    """One line on stderr: the Chinese sentence, and with --verbose the technical detail after it.
    A message may name a file, and a file name may hold escapes: both are shown, never obeyed."""
    from analyzer.ingest.sanitize import visible

    extra = f"(详情:{visible(detail)})" if detail and _verbose else ""
    typer.echo(f"错误:{visible(message)}{extra}", err=True)
    raise typer.Exit(code)


def _print_version(value: bool) -> None:
    if value:
        from analyzer.version import __version__

        typer.echo(f"govreport {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="显示版本号后退出")] = False,
    data: Annotated[Path | None, typer.Option(
        "--data", metavar="DIR", help="从 DIR 读取随附数据(套话词表、模型、范例),同 GOVREPORT_DATA",
    )] = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="出错时在中文说明后附上技术细节(英文)")] = False,
) -> None:
    """govreport:法治政府建设情况报告审阅助手。"""
    global _verbose
    _verbose = verbose
    if data is not None:
        os.environ["GOVREPORT_DATA"] = str(data)  # read by analyzer.assets, which every command imports later


# ``--disable`` of every command that analyses: check ids or finding ids, resolved by ``resolve_house_rules``.
DisableOption = Annotated[list[str] | None, typer.Option(
    "--disable", metavar="规则",
    help="不运行这项检查,或只关闭它的一类问题(如 outline.sections.thin;可重复;编号见 govreport rules)")]


def resolve_house_rules(ids: list[str]):
    """The checks switched off by ``--disable``, ``GOVREPORT_DISABLE`` and ``govreport.yaml``, and the
    thresholds that file sets (``rules.HouseRules``); a bad id or value stops the command first."""
    from analyzer.checks.findings import registered_rules
    from analyzer.checks.rules import RuleError, house_rules

    registered_rules()  # the checks register themselves as they are loaded
    try:
        return house_rules(ids)
    except RuleError as exc:
        fail(exc.advice, detail=str(exc))
