"""How often the metadata read from a report's opening is right: report year and issuer.

Measured on a folder of real report openings (``texts/<id>.txt`` and ``manifest.tsv`` with ``id``,
``year_reported`` and ``issuer``; shared/real has this shape). Each text is ingested as a .txt file
(so traditional characters are converted) and its structure parsed; no model is needed.

Year: right when it equals ``year_reported``.

Issuer: the manifest gives the full official name; a report often names itself more briefly, so a
predicted issuer is right when, after removing white space, it equals one of the *accepted forms* of
the full name:

- the full name itself;
- the name with a leading higher-level place left out, when what remains still names a place
  (上海市浦东新区人民政府 → 浦东新区人民政府; but never a bare organ such as 教育局);
- the genre's usual short forms (``_SHORT_FORMS``): 市场监管局 for 市场监督管理局, 人社局 and
  人力社保局 for 人力资源和社会保障局, 卫健委 / 卫生健康委 for 卫生健康委员会, 政府 for 人民政府, a town,
  district or county alone for its 人民政府 (光明区 for 光明区人民政府), 街道 for 街道办事处, and an
  autonomous prefecture by its first two characters (伊犁州 for 伊犁哈萨克自治州); and these combined with
  the place rule.

A report *names its issuer* when an accepted form occurs in its first three paragraphs, outside the
titles of documents it cites (《…》: a cited title names another document, not this report). The issuer
accuracy is over those reports; ``issuer_accuracy_all`` is over every report and counts an unnamed
report right when nothing, or a part of the full name, was predicted (a wrong name is never right).

The rules of the parser were written while reading part of shared/real, so the figures are also given
per split: ``held_out`` holds the ids whose number is a multiple of 5 (R005, R010, …), left unread
while the rules were written; ``development`` holds the others.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

_SHORT_FORMS: tuple[tuple[str, str], ...] = (
    ("市场监督管理局", "市场监管局"),
    ("人力资源和社会保障局", "人社局"),
    ("人力资源和社会保障局", "人力社保局"),
    ("卫生健康委员会", "卫生健康委"),
    ("卫生健康委员会", "卫健委"),
    ("街道办事处", "街道"),
    ("人民政府", "政府"),
    ("镇人民政府", "镇"),
    ("乡人民政府", "乡"),
    ("区人民政府", "区"),
    ("县人民政府", "县"),
)
_AUTONOMOUS_PREFECTURE = re.compile(r"([\u4e00-\u9fff]{2})[\u4e00-\u9fff]{0,8}?自治州")
# A place name inside an issuer's name (市 but not 市场).
_PLACE = re.compile(r"[省州县区旗镇乡]|市(?!场)|街道")
_PLACE_END = re.compile(r"(?:[省州县区旗]|市(?!场))")
_NAMED_WITHIN = 3  # paragraphs
_CITED_TITLE = re.compile(r"《[^》]*》")


def accepted_forms(issuer: str) -> set[str]:
    """Every form of ``issuer`` that counts as naming it (see the module docstring)."""
    full = re.sub(r"\s+", "", issuer)
    forms = {full}
    match = _AUTONOMOUS_PREFECTURE.search(full)
    if match:
        forms.add(full[: match.start()] + match.group(1) + "州" + full[match.end() :])
    for long, short in _SHORT_FORMS:
        forms |= {f[: -len(long)] + short for f in forms if f.endswith(long)}
        forms |= {f.replace(long, short) for f in forms if long in f}
    for form in list(forms):
        for cut in _PLACE_END.finditer(form):
            rest = form[cut.end() :]
            if rest and _PLACE.search(rest):
                forms.add(rest)
    return forms


def issuer_matches(predicted: str | None, issuer: str) -> bool:
    return predicted is not None and re.sub(r"\s+", "", predicted) in accepted_forms(issuer)


def split_of(report_id: str) -> str:
    """``held_out`` for ids whose number is a multiple of 5, else ``development``."""
    number = int(re.sub(r"\D", "", report_id) or 0)
    return "held_out" if number % 5 == 0 else "development"


def evaluate_metadata(real_dir: str | Path, *, split: str = "all") -> dict:
    """Year and issuer accuracy on the reports in ``real_dir`` (``split``: all, development or
    held_out), with one row per report; raises FileNotFoundError when the folder is not there."""
    from analyzer.ingest import ingest_file
    from analyzer.text.structure import parse_structure

    real = Path(real_dir)
    manifest = real / "manifest.tsv"
    if not manifest.is_file():
        raise FileNotFoundError(str(manifest))
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    reports = []
    for row in rows:
        if split != "all" and split_of(row["id"]) != split:
            continue
        document = ingest_file(real / "texts" / f"{row['id']}.txt")
        meta = parse_structure(document.paragraphs).metadata
        forms = accepted_forms(row["issuer"])
        opening = _CITED_TITLE.sub("", "".join(document.paragraphs[:_NAMED_WITHIN]).replace(" ", ""))
        named = any(form in opening for form in forms)
        issuer_ok = issuer_matches(meta.issuer, row["issuer"])
        full = re.sub(r"\s+", "", row["issuer"])
        reports.append({
            "id": row["id"],
            "split": split_of(row["id"]),
            "year": meta.year,
            "year_expected": int(row["year_reported"]),
            "year_ok": meta.year == int(row["year_reported"]),
            "issuer": meta.issuer,
            "issuer_expected": row["issuer"],
            "issuer_named": named,
            "issuer_ok": issuer_ok,
            "issuer_ok_all": issuer_ok or (not named and (meta.issuer is None or meta.issuer in full)),
        })
    figures = {name: _figures([r for r in reports if name == "all" or r["split"] == name])
               for name in ("all", "development", "held_out")}
    return {"figures": figures, "reports": reports}


def _figures(reports: list[dict]) -> dict:
    named = [r for r in reports if r["issuer_named"]]
    return {
        "reports": len(reports),
        "year_accuracy": _share(sum(r["year_ok"] for r in reports), len(reports)),
        "issuer_named": len(named),
        "issuer_accuracy": _share(sum(r["issuer_ok"] for r in named), len(named)),
        "issuer_accuracy_all": _share(sum(r["issuer_ok_all"] for r in reports), len(reports)),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def format_metadata_scores(scores: dict) -> str:
    """The figures per split, then one line per report with a wrong year or issuer."""
    lines = ["split        reports  year   issuer(named)  issuer(all)"]
    for name, f in scores["figures"].items():
        if f["reports"]:
            lines.append(f"{name:12} {f['reports']:7}  {_shown(f['year_accuracy'])}  "
                         f"{_shown(f['issuer_accuracy'])} of {f['issuer_named']:<3}  {_shown(f['issuer_accuracy_all'])}")
    misses = [r for r in scores["reports"] if not (r["year_ok"] and r["issuer_ok_all"] and (r["issuer_ok"] or not r["issuer_named"]))]
    lines.append(f"misses ({len(misses)}):" if misses else "misses: none")
    for r in misses:
        year = "" if r["year_ok"] else f" 年度 {r['year']} ≠ {r['year_expected']}"
        issuer = "" if r["issuer_ok_all"] and (r["issuer_ok"] or not r["issuer_named"]) else (
            f" 单位 {r['issuer'] or '—'} ≠ {r['issuer_expected']}" + ("" if r["issuer_named"] else " (开头未写明)"))
        lines.append(f"  {r['id']}{year}{issuer}")
    return "\n".join(lines)


def _shown(value: float | None) -> str:
    return "  —  " if value is None else f"{value:.3f}"
