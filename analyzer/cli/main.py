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

from analyzer.cli.app import EXIT_BROKEN_INSTALL, DisableOption, app, corpus_app, resolve_house_rules
from analyzer.cli.app import fail as _fail

# Set by a command that has written and closed everything it opened, so that its process may end
# without the interpreter's teardown: freeing the segmenter's dictionary, the models and every
# other object one by one takes ~0.1 s, a tenth of a one-report run.
_holds_nothing = False


class OutputFormat(str, Enum):
    json = "json"
    md = "md"
    table = "table"


@app.command()
def analyze(
    file: Annotated[Path, typer.Argument(help="报告文件:.docx、.pdf、.txt 或 .html")],
    framework: Annotated[str, typer.Option(help="对照框架编号(见 govreport frameworks),或 auto 自动选择")] = "auto",
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="输出格式:table 表格、md Markdown、json 数据")] = OutputFormat.table,
    out: Annotated[Path | None, typer.Option(help="把输出写入此文件(默认打印到屏幕)")] = None,
    annotate: Annotated[Path | None, typer.Option(help="把批注版 Word(.docx)写到此处")] = None,
    segmenter: Annotated[str | None, typer.Option(help="分词器:rjieba(默认)或 jieba")] = None,
    previous: Annotated[Path | None, typer.Option(help="本单位上一年度报告,用于检查雷同")] = None,
    disable: DisableOption = None,
) -> None:
    """分析一份报告,列出各部分覆盖情况和发现的问题。"""
    from analyzer.errors import InputError, advice_for
    from analyzer.frameworks import FrameworkError
    from analyzer.pipeline import analyze as run

    if not file.exists():
        _fail(f"找不到文件 {file}", detail="no such file")
    if file.is_dir():
        _fail(f"{file} 是文件夹;批量分析请用 govreport batch", detail="a folder")
    if previous is not None and not previous.is_file():
        _fail(f"找不到文件 {previous}", detail="no such file")
    from analyzer.outputs.atomic import OutputError, check_output, write_atomic

    try:  # a bad output path is refused before the analysis, not after it
        for target in (out, annotate):
            if target is not None:
                check_output(target)
    except OutputError as exc:
        _fail(str(exc))
    if annotate is not None and annotate.resolve() == file.resolve():
        _fail("批注版 Word 不能覆盖原文件,请另选保存位置", detail="annotate target is the input file")
    house = resolve_house_rules(disable or [])
    try:
        result = run(file, framework=framework, segmenter=segmenter, previous=previous, disable=house.disable,
                     params=house.params)
    except InputError as exc:
        _fail(exc.advice, detail=str(exc))
    except FrameworkError as exc:
        _fail(advice_for("framework"), detail=str(exc))
    if format is OutputFormat.json:
        text = _json_for_output(result.to_json())
    elif format is OutputFormat.md:
        from analyzer.outputs.render import to_markdown

        text = to_markdown(result)
    else:
        text = None
    try:
        if annotate is not None:
            from analyzer.outputs.annotate import annotated_docx

            try:
                data = annotated_docx(result, source=file.read_bytes(), filename=file.name)
            except ValueError as exc:
                _fail("无法写出批注版 Word", detail=str(exc))
            write_atomic(annotate, data)
        if text is None:
            from rich.console import Console

            from analyzer.outputs.render import print_table

            if out:
                import io

                buffer = io.StringIO()
                print_table(result, Console(file=buffer))
                write_atomic(out, buffer.getvalue())
            else:
                print_table(result, Console())
        elif out:
            write_atomic(out, text)
        else:
            typer.echo(text)
    except OutputError as exc:
        _fail(str(exc))
    global _holds_nothing
    _holds_nothing = True  # everything is written and closed: see main()


def _json_for_output(text: str) -> str:
    """JSON with control and bidi characters (from a file name) as \\u escapes: still the same JSON,
    but nothing in it acts on a terminal."""
    from analyzer.ingest.sanitize import CONTROL_CHARS

    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@app.command()
def rules() -> None:
    """列出全部检查规则:编号、产生的问题类型、说明、各类问题的编号、参数(默认值)和示例(可用 --disable 或 govreport.yaml 关闭、调整)。"""
    from rich.console import Console
    from rich.table import Table

    from analyzer.checks.findings import registered_rules

    table = Table(show_lines=True)
    for header in ("规则编号", "问题类型", "说明", "各类问题的编号", "参数 = 默认值", "示例(会触发)"):
        table.add_column(header, overflow="fold")  # Chinese has no spaces to wrap at: fold, never cut
    for rule in registered_rules():
        table.add_row(*_rule_cells(rule))
    Console().print(table)
    typer.echo("在工作文件夹的 govreport.yaml 中可关闭规则(disable: [规则编号])或调整参数"
               "(params: {规则编号: {参数名: 数值}})。")


def _rule_cells(rule) -> tuple[str, ...]:
    """One row of ``govreport rules``; every text is escaped, the example report above all."""
    from rich.markup import escape

    from analyzer.messages import label

    findings = "\n".join(f"{rule.finding_id(sub)}({meaning})" for sub, meaning in rule.findings.items())
    params = "\n".join(f"{name} = {param.default:g}({param.description})" for name, param in rule.params.items())
    example = f"语料报告 {rule.fires.removeprefix('corpus:')}" if rule.fires.startswith("corpus:") else rule.fires
    return (escape(rule.id), "、".join(label("kind", k) for k in rule.kinds), escape(rule.description),
            escape(findings), escape(params or "无"), escape(example.replace("\n", " / ")[:60]))


@app.command()
def frameworks() -> None:
    """列出随附的对照框架(analyzer/frameworks/)。"""
    from analyzer.frameworks import FrameworkError, available_frameworks, load_framework

    for framework_id in available_frameworks():
        try:
            fw = load_framework(framework_id)
        except FrameworkError as exc:
            _fail(str(exc))
        elements = sum(len(s.elements) for s in fw.sections)
        typer.echo(f"{fw.id:10} {fw.years[0]}–{fw.years[1]}  {len(fw.sections)} 个部分,{elements} 个要素  {fw.name}")


@corpus_app.command("check")
def corpus_check(files: Annotated[list[Path], typer.Argument(help="要检查的语料源文件")]) -> None:
    """检查语料源文件;有格式错误时退出码为 1。"""
    from analyzer.training.corpus import _check

    raise typer.Exit(_check([str(f) for f in files]))


@corpus_app.command("build")
def corpus_build(
    src: Annotated[Path, typer.Option(help="语料源文件所在文件夹")] = Path("corpora/src"),
    out: Annotated[Path, typer.Option(help="输出文件夹")] = Path("corpora"),
    exemplars: Annotated[Path | None, typer.Option(help="范例段落文件(默认写入安装包的数据目录)")] = None,
) -> None:
    """构建 labels.jsonl(每段一行)、reports.jsonl(每份报告一行)和随附的范例段落(仅取自编写语料)。"""
    from analyzer import assets
    from analyzer.checks.exemplars import write_exemplar_file
    from analyzer.training.corpus import build_corpus

    counts = build_corpus(src, out)
    typer.echo(f"{counts['reports']} reports, {counts['paragraphs']} paragraphs -> {out}/labels.jsonl, reports.jsonl")
    target = exemplars or assets.asset_path(assets.EXEMPLARS)
    passages = write_exemplar_file(out / "labels.jsonl", out / "reports.jsonl", target)
    typer.echo(f"{passages} exemplar passages -> {target}")


@app.command()
def train(
    src: Annotated[Path, typer.Option(help="语料源文件夹")] = Path("corpora/src"),
    out: Annotated[Path | None, typer.Option(help="模型文件夹(默认:安装包的 data/models)")] = None,
    folds: Annotated[int, typer.Option(help="交叉验证折数(0 表示跳过比较)")] = 5,
    approaches: Annotated[str, typer.Option(help="要比较的方法,逗号分隔:keyword,sklearn,spacy")] = "keyword,sklearn,spacy",
    extra: Annotated[Path | None, typer.Option(
        help="已标注的真实报告文件夹(labels.jsonl、manifest.tsv);其固定留出部分只用于测量")] = None,
) -> None:
    """按报告分组交叉验证比较各方法,然后训练并保存随附模型。"""
    from analyzer.mapping.model import MODEL_DIR
    from analyzer.training.train import train as run

    out = out or MODEL_DIR
    if extra is not None and not (extra / "labels.jsonl").exists():
        typer.echo(f"{extra}/labels.jsonl 不存在:只用编写语料训练")
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
        help="JSONL 标注文件(id、para、text、label、heading、is_heading),或含 labels.jsonl 的真实报告文件夹")],
    strip_headings: Annotated[bool, typer.Option("--strip-headings", help="先去掉标题段落")] = False,
    framework: Annotated[str, typer.Option(help="对照框架编号,或 auto 自动选择")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON 数据")] = False,
    scale: Annotated[bool, typer.Option("--scale", help="在 S1..S7 通用刻度上比较(文件夹总是如此)")] = False,
    part: Annotated[str, typer.Option(help="文件夹的哪一部分:held-out(从未训练)、train 或 all")] = "held-out",
) -> None:
    """用标注文件评估整条流程的分段结果。"""
    import json

    from analyzer.training.evaluate import evaluate_reports, format_scores, read_label_file, read_real_dir, split_real

    if not labels.exists():
        _fail(f"找不到文件 {labels}", detail="no such file")
    if part not in ("held-out", "train", "all"):
        _fail(f"--part 只能是 held-out、train 或 all,不是 {part}")
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
    src: Annotated[Path, typer.Option(help="语料源文件夹")] = Path("corpora/src"),
    out: Annotated[Path | None, typer.Option(help="同时把结果以 JSON 写到此处")] = None,
) -> None:
    """对照语料中注入的缺陷和标注,计算各类问题的精确率和召回率。"""
    import json

    from analyzer.training.corpus import load_corpus
    from analyzer.training.evaluate_findings import findings_scores

    scores = findings_scores(load_corpus(src))
    text = json.dumps(scores, ensure_ascii=False, indent=2)
    if out:
        out.write_text(text, encoding="utf-8")
    typer.echo(text)


@app.command("evaluate-metadata")
def evaluate_metadata(
    real: Annotated[Path, typer.Option(help="真实报告开头文件夹(texts/ 与 manifest.tsv) / folder of real report openings")] = Path(
        "../shared/real"),
    split: Annotated[str, typer.Option(help="all、development 或 held_out(编号为5的倍数) / which reports")] = "all",
) -> None:
    """元数据准确率:报告年度与发文单位(逐份列出错误) / year and issuer accuracy of the metadata."""
    from analyzer.training.evaluate_metadata import evaluate_metadata as run
    from analyzer.training.evaluate_metadata import format_metadata_scores

    if split not in ("all", "development", "held_out"):
        _fail(f"--split 只能是 all、development 或 held_out (got {split})")
    if not (real / "manifest.tsv").is_file():
        _fail(f"找不到真实报告文件夹 {real}(应含 manifest.tsv 和 texts/);请用 --real 指定 / no manifest.tsv in {real}")
    typer.echo(format_metadata_scores(run(real, split=split)))


# Batch and compare commands live in their own module; it imports nothing heavy at start-up.
import analyzer.cli.batch  # noqa: E402,F401 - registers the batch and comparison commands on app


def main() -> None:
    """The console script: run the command; leave at once when it holds nothing to release."""
    from analyzer.assets import AssetError

    try:
        app()
    except AssetError as exc:  # the installation, not the input: say which file and how to restore it
        typer.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_BROKEN_INSTALL)
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
    from analyzer.cli.main import main as imported_main

    imported_main()
