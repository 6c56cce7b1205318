"""The ``govreport`` command line: a thin layer over the library.

Every command imports what it uses inside its own body, so ``govreport --help`` stays fast and
never loads spaCy, scikit-learn, pandas, DuckDB or Streamlit.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="govreport: analyse Chinese 法治政府建设 annual reports — coverage, missing elements, boilerplate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain Click help: Typer's Rich help formatter costs ~0.13 s of imports per run
)
corpus_app = typer.Typer(help="Corpus steps: check and build the labelled corpus.", no_args_is_help=True,
                         rich_markup_mode=None)
app.add_typer(corpus_app, name="corpus")

EXIT_BAD_INPUT = 2
# Set by a command that has written and closed everything it opened, so that its process may end
# without the interpreter's teardown: freeing the segmenter's dictionary, the models and every
# other object one by one takes ~0.1 s, a tenth of a one-report run.
_holds_nothing = False


class OutputFormat(str, Enum):
    json = "json"
    md = "md"
    table = "table"


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def analyze(
    file: Annotated[Path, typer.Argument(help="report file: .docx, .pdf, .txt or .html")],
    framework: Annotated[str, typer.Option(help="framework id, or auto")] = "auto",
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="output format")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option(help="write the output here instead of stdout")] = None,
    annotate: Annotated[Path | None, typer.Option(help="write an annotated .docx copy here")] = None,
    segmenter: Annotated[str | None, typer.Option(help="rjieba (default) or jieba")] = None,
    previous: Annotated[Path | None, typer.Option(help="the issuer's previous report, to measure copying")] = None,
) -> None:
    """Analyse one report and print its coverage and findings."""
    from .errors import InputError
    from .frameworks import FrameworkError
    from .pipeline import analyze as run

    if not file.exists():
        _fail(f"no such file: {file}")
    if file.is_dir():
        _fail(f"{file} is a folder; use 'govreport batch' for many files")
    if previous is not None and not previous.is_file():
        _fail(f"no such file: {previous}")
    try:
        result = run(file, framework=framework, segmenter=segmenter, previous=previous)
    except InputError as exc:
        _fail(f"{exc}")
    except FrameworkError as exc:
        _fail(str(exc))
    if format is OutputFormat.json:
        text = result.to_json()
    elif format is OutputFormat.md:
        from .render import to_markdown

        text = to_markdown(result)
    else:
        text = None
    if annotate is not None:
        from .annotate import write_annotated

        try:
            write_annotated(result, source=file, target=annotate)
        except (ValueError, OSError) as exc:
            _fail(f"cannot write the annotated copy: {exc}")
    if text is None:
        from rich.console import Console

        from .render import print_table

        if out:
            with open(out, "w", encoding="utf-8") as fh:
                print_table(result, Console(file=fh))
        else:
            print_table(result, Console())
    elif out:
        out.write_text(text, encoding="utf-8")
    else:
        typer.echo(text)
    global _holds_nothing
    _holds_nothing = True  # everything is written and closed: see main()


@app.command()
def frameworks() -> None:
    """List the frameworks shipped in analyzer/frameworks/."""
    from .frameworks import FrameworkError, available_frameworks, load_framework

    for framework_id in available_frameworks():
        try:
            fw = load_framework(framework_id)
        except FrameworkError as exc:
            _fail(str(exc))
        elements = sum(len(s.elements) for s in fw.sections)
        typer.echo(f"{fw.id:10} {fw.years[0]}–{fw.years[1]}  {len(fw.sections)} sections, {elements} elements  {fw.name}")


@corpus_app.command("check")
def corpus_check(files: Annotated[list[Path], typer.Argument(help="source files to validate")]) -> None:
    """Validate corpus source files; exit 1 if any is malformed."""
    from .corpus import _check

    raise typer.Exit(_check([str(f) for f in files]))


@corpus_app.command("build")
def corpus_build(
    src: Annotated[Path, typer.Option(help="folder of source files")] = Path("corpora/src"),
    out: Annotated[Path, typer.Option(help="output folder")] = Path("corpora"),
) -> None:
    """Build labels.jsonl (one row per paragraph) and reports.jsonl (one row per report)."""
    from .corpus import build_corpus

    counts = build_corpus(src, out)
    typer.echo(f"{counts['reports']} reports, {counts['paragraphs']} paragraphs -> {out}/labels.jsonl, reports.jsonl")


@app.command()
def train(
    src: Annotated[Path, typer.Option(help="corpus source folder")] = Path("corpora/src"),
    out: Annotated[Path, typer.Option(help="model folder")] = Path("models"),
    folds: Annotated[int, typer.Option(help="cross-validation folds (0 skips the comparison)")] = 5,
    approaches: Annotated[str, typer.Option(help="comma-separated: keyword,sklearn,spacy")] = "keyword,sklearn,spacy",
    extra: Annotated[Path | None, typer.Option(
        help="labelled real reports (labels.jsonl, manifest.tsv); its fixed held-out part is only measured")] = None,
) -> None:
    """Compare approaches by report-grouped cross-validation, then train and save the shipped model."""
    from .train import train as run

    if extra is not None and not (extra / "labels.jsonl").exists():
        typer.echo(f"{extra}/labels.jsonl not found: training on the authored corpus only")
    metrics = run(src, out, extra=extra, folds=folds, approaches=tuple(a for a in approaches.split(",") if a),
                  log=typer.echo)
    for approach, variants in metrics["cross_validation"].items():
        typer.echo(
            f"{approach:8} macro-F1 with headings {variants['headings']['macro_f1_sections']:.3f}, "
            f"headings stripped {variants['stripped']['macro_f1_sections']:.3f}"
        )
    if metrics.get("real_held_out"):
        held = metrics["real_held_out"]
        typer.echo(f"real held-out macro-F1 with headings {held['headings']['macro_f1_sections']:.3f}, "
                   f"headings stripped {held['stripped']['macro_f1_sections']:.3f}")
    typer.echo(f"saved {out}/{metrics['shipped']['file']} ({metrics['shipped']['bytes'] / 1e6:.1f} MB) and the model card")


@app.command()
def evaluate(
    labels: Annotated[Path, typer.Argument(
        help="JSONL label file (id, para, text, label, heading, is_heading), or a real-report folder with labels.jsonl")],
    strip_headings: Annotated[bool, typer.Option("--strip-headings", help="drop heading paragraphs first")] = False,
    framework: Annotated[str, typer.Option(help="framework id, or auto")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="print machine-readable JSON")] = False,
    scale: Annotated[bool, typer.Option("--scale", help="compare on the S1..S7 scale (always for a folder)")] = False,
    part: Annotated[str, typer.Option(help="of a folder: held-out (never trained on), train, or all")] = "held-out",
) -> None:
    """Score the full pipeline's section labels against a labelled file."""
    import json

    from .evaluate import evaluate_reports, format_scores, read_label_file, read_real_dir, split_real

    if not labels.exists():
        _fail(f"no such file: {labels}")
    if part not in ("held-out", "train", "all"):
        _fail(f"--part must be held-out, train or all, not {part}")
    try:
        if labels.is_dir():
            golds, scale = read_real_dir(labels), True
            if part != "all":
                golds = split_real(golds)[part == "held-out"]
        else:
            golds = read_label_file(labels)
    except (ValueError, OSError) as exc:
        _fail(str(exc))
    scores = evaluate_reports(golds, framework=framework, headings=not strip_headings, scale=scale)
    typer.echo(json.dumps(scores.to_dict(), ensure_ascii=False, indent=2) if as_json else format_scores(scores))


@app.command("evaluate-findings")
def evaluate_findings(
    src: Annotated[Path, typer.Option(help="corpus source folder")] = Path("corpora/src"),
    out: Annotated[Path | None, typer.Option(help="also write the figures as JSON here")] = None,
) -> None:
    """Precision/recall of each finding kind against the corpus's injected defects and labels."""
    import json

    from .corpus import load_corpus
    from .evaluate_findings import findings_scores

    scores = findings_scores(load_corpus(src))
    text = json.dumps(scores, ensure_ascii=False, indent=2)
    if out:
        out.write_text(text, encoding="utf-8")
    typer.echo(text)


# Batch and compare commands live in their own module; it imports nothing heavy at start-up.
from . import cli_batch  # noqa: E402,F401


def main() -> None:
    """The console script: run the command; leave at once when it holds nothing to release."""
    try:
        app()
    except SystemExit as exc:
        if not _holds_nothing:
            raise
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe (| head) or stream: nothing more to deliver
                pass
        os._exit(code)


if __name__ == "__main__":
    # Run through the imported module: cli_batch registered its commands on *that* module's app.
    from analyzer.cli import main as imported_main

    imported_main()
