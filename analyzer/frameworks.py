"""Frameworks as data: the sections, parts and elements a report is checked against.

Each framework is one YAML file in ``analyzer/frameworks/``; adding a report type means adding a
file, never a code branch. Files are validated on load (msgspec: types, required fields, no unknown
fields, minimum lengths), and a malformed file raises ``FrameworkError`` naming the file and the field.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, field

from analyzer.assets import framework_dir
from analyzer.errors import FRAMEWORK_ADVICE, GovreportError

FRAMEWORK_DIR = framework_dir()
# Extra folders of framework files (os.pathsep-separated): a legal office's own outline, or a new
# national one, is a file dropped there; it is read after the shipped ones and may replace them.
EXTRA_DIRS_ENV = "GOVREPORT_FRAMEWORKS"
SHARED_PART_IDS = ("INTRO", "PROBLEMS", "NEXT", "META", "OTHER")
Status = Literal["verified", "partly", "unverified"]
Level = Literal["province", "city", "county", "township", "department", "ministry"]


class YamlError(ValueError):
    """A YAML file that does not parse."""


def load_yaml(text: str):
    """Safe YAML loading, with libyaml's C loader when PyYAML has it (several times faster).
    PyYAML is imported here: with the parsed files cached (``load_yaml_file``) most runs never need it."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise YamlError(str(exc)) from exc


def load_yaml_file(path: Path):
    """The parsed content of a YAML file, from the disk cache when this exact content was parsed before."""
    from analyzer.cache import cached

    raw = Path(path).read_bytes()
    return cached("yaml", [raw], lambda: load_yaml(raw.decode("utf-8")), code=(__file__,))


class FrameworkError(GovreportError, ValueError):
    """A framework file is missing or malformed."""

    code = "framework"
    advice = FRAMEWORK_ADVICE


NonEmpty = Annotated[list[str], Meta(min_length=1)]


class _Strict(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Framework records: immutable, and a file with an unknown (misspelt) key is rejected. (Each
    subclass says ``kw_only=True`` itself: msgspec applies it per class, and it lets fields keep the
    order of the YAML files whatever their defaults.)"""


class Examples(_Strict, kw_only=True):
    """Sentences that must (``pass``) and must not (``fail``) count as evidence; the tests run them."""

    pass_: NonEmpty = field(name="pass")
    fail: NonEmpty


class Element(_Strict, kw_only=True):
    """A concrete measure a section should give evidence of."""

    id: str
    name: str
    status: Status
    terms: Annotated[NonEmpty, Meta(description="phrases any one of which evidences the element")]
    regex: Annotated[list[str], Meta(description="extra regular expressions over the text")] = field(
        default_factory=list
    )
    evidence: Annotated[NonEmpty, Meta(description="figures a reviewer expects as evidence")]
    examples: Examples
    scope: Annotated[
        Literal["part", "report"],
        Meta(description="for report-level checks: search the part's paragraphs or the whole report"),
    ] = "part"
    needs_fact: Annotated[
        bool,
        Meta(description="evidence must be a sentence with a concrete fact (figure, date, named document, 文号): "
             "for acts that formulaic sentences name without reporting them"),
    ] = False
    applies_to: Annotated[
        list[Level] | None,
        Meta(description="issuer levels the element is asked of; null: every issuer"),
    ] = None
    not_applicable: Annotated[
        str, Meta(description="why the element is not asked of other issuers (shown in the JSON)")
    ] = ""

    def applies(self, level: str | None) -> bool:
        """Whether an issuer of ``level`` is asked for this element (unknown level: asked)."""
        return self.applies_to is None or level is None or level in self.applies_to


class Section(_Strict, kw_only=True):
    """A required section: heading aliases, cue terms for paragraphs, and its elements."""

    id: str
    name: str
    outline_ref: str
    status: Status
    scale: Annotated[str | None, Meta(description="position on the common S1..S7 scale, or null")]
    aliases: NonEmpty
    cues: Annotated[list[str], Meta(min_length=5)]
    elements: list[Element] = field(default_factory=list)


class Part(_Strict, kw_only=True):
    """A part of the report's layout (problems, next year's plan, …) and its report-level checks.

    A paragraph belongs to a part when a heading above it names the part (``aliases``), else by its
    outline label (``labels``; ``sections`` for the part that holds the outline's tasks), else when
    it opens with one of the part's ``lead`` phrases. ``mentions`` are phrases that show the part's
    subject told only in passing inside another part."""

    id: str
    name: str
    required: bool
    aliases: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    labels: Annotated[list[str], Meta(description="outline labels whose paragraphs form the part; default: its id")] = (
        field(default_factory=list)
    )
    sections: Annotated[bool, Meta(description="the part holds the paragraphs of the outline's sections")] = False
    lead: Annotated[list[str], Meta(description="phrases that, opening a paragraph, make it the part's")] = field(
        default_factory=list
    )
    mentions: Annotated[list[str], Meta(description="phrases that show the part's subject told in passing")] = field(
        default_factory=list
    )
    checks: Annotated[list[Element], Meta(description="report-level elements, e.g. causes given")] = field(
        default_factory=list
    )

    @property
    def label_set(self) -> frozenset[str]:
        return frozenset(self.labels or [self.id])


class Layout(_Strict, kw_only=True):
    """How to recognise a report laid out after this framework: its top-level headings (or all its
    headings, ``any_level``) name at least ``min_hits`` of ``headings`` (section or part ids of
    this file), one of them among ``needs_any`` when given."""

    id: str
    name: str
    headings: NonEmpty
    min_hits: Annotated[int, Meta(ge=1)] = 3
    needs_any: list[str] = field(default_factory=list)
    any_level: Annotated[
        bool, Meta(description="count headings at every level (the sections sit under a 总体情况 part), not only top-level ones")
    ] = False


class Framework(_Strict, kw_only=True):
    """An outline (what substance a report must cover: its sections, for the report years it
    governs) or a report rule (which parts a report must have, from the first year it applies)."""

    id: str
    kind: Annotated[
        Literal["outline", "report-rule"],
        Meta(description="outline: sections every paragraph maps onto; report-rule: required report parts"),
    ] = "outline"
    name: str
    short_name: Annotated[str, Meta(description="a short Chinese name for charts and reasons")] = ""
    description: str
    years: Annotated[
        tuple[int, int | None], Meta(description="report years covered, first and last (null: no end yet)")
    ]
    basis: str
    status_note: str
    layout: Layout | None = None
    sections: list[Section] = field(default_factory=list)
    parts: list[Part]

    def __post_init__(self) -> None:
        ids = [s.id for s in self.sections] + [p.id for p in self.parts]
        ids += [e.id for s in self.sections for e in s.elements] + [c.id for p in self.parts for c in p.checks]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate ids {dupes}")

    @property
    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    @property
    def label(self) -> str:
        """The name shown to users: the short name when the file gives one."""
        return self.short_name or self.name

    def covers(self, year: int) -> bool:
        first, last = self.years
        return first <= year and (last is None or year <= last)

    def scale_of(self, label: str) -> str | None:
        """The id on the common S1..S7 scale of a section label (None for parts and unscaled sections)."""
        section = next((s for s in self.sections if s.id == label), None)
        return section.scale if section else None


def validate_record(data, kind: type[msgspec.Struct]):
    """``data`` (parsed YAML) as a ``kind`` record; ``ValueError("field 'a.0.b': reason")`` if it does not fit."""
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as exc:
        raise ValueError(_field_message(str(exc))) from exc


def _field_message(message: str) -> str:
    """msgspec's "reason - at `$.parts[0]`" as "field 'parts.0.required': reason", the form users read."""
    reason, _, at = message.partition(" - at `")
    path = at.rstrip("`").removeprefix("$").replace("[", ".").replace("]", "").lstrip(".")
    for prefix in ("Object missing required field `", "Object contains unknown field `"):
        if reason.startswith(prefix):  # name the field itself, not the object around it
            path = ".".join(filter(None, (path, reason.removeprefix(prefix).rstrip("`"))))
    return f"field '{path or '(top level)'}': {reason}"


def load_framework_file(path: Path) -> Framework:
    """Load and validate one framework file; errors name the file and the offending field."""
    try:
        data = load_yaml_file(path)
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise FrameworkError(f"{path}: cannot read framework file: {exc}") from exc
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}: a framework file must be a YAML mapping")
    try:
        return validate_record(data, Framework)
    except ValueError as exc:
        raise FrameworkError(f"{path}: {exc}") from exc


# The listing fixed for the analysis under way (``one_listing``); None outside one.
_LISTING: ContextVar[dict[str, Path] | None] = ContextVar("framework_listing", default=None)


def framework_paths() -> dict[str, Path]:
    """Every framework file by id: the shipped ones, then those of ``GOVREPORT_FRAMEWORKS`` folders."""
    fixed = _LISTING.get()
    return dict(fixed) if fixed is not None else _list_paths()


def _list_paths() -> dict[str, Path]:
    dirs = (FRAMEWORK_DIR, *(Path(d) for d in os.environ.get(EXTRA_DIRS_ENV, "").split(os.pathsep) if d))
    return _paths_in(dirs, tuple(map(_modified, dirs)))


@contextmanager
def one_listing() -> Iterator[None]:
    """Inside, the framework folders are listed once: an analysis asks for them about twenty
    times, and each ask reads the environment and the folders' times. A file added meanwhile is
    seen by the next analysis (the listing is per context, so threads do not share it)."""
    if _LISTING.get() is not None:  # nested: the outer analysis's listing holds
        yield
        return
    token = _LISTING.set(_list_paths())
    try:
        yield
    finally:
        _LISTING.reset(token)


@lru_cache(maxsize=16)
def _paths_in(dirs: tuple[Path, ...], modified: tuple[int | None, ...]) -> dict[str, Path]:
    """The folders' framework files, listed again only when a folder changes (``modified``: a file
    added, removed or renamed changes the folder's time): an analysis asks a dozen times."""
    return {p.stem: p for d in dirs for p in sorted(d.glob("*.yaml"))}


def _modified(directory: Path) -> int | None:
    try:
        return directory.stat().st_mtime_ns
    except OSError:
        return None


def load_framework(framework_id: str) -> Framework:
    """The framework with this id, from ``<id>.yaml`` in the framework folders."""
    path = framework_paths().get(framework_id)
    if path is None:
        known = ", ".join(available_frameworks())
        raise FrameworkError(f"unknown framework '{framework_id}' (known: {known})")
    return _load_path(path, framework_id)


@cache
def _load_path(path: Path, framework_id: str) -> Framework:
    framework = load_framework_file(path)
    if framework.id != framework_id:
        raise FrameworkError(f"{path}: field 'id': '{framework.id}' does not match the file name")
    return framework


def available_frameworks() -> list[str]:
    """Ids of every framework file (shipped, and in ``GOVREPORT_FRAMEWORKS`` folders)."""
    return sorted(framework_paths())


def frameworks_of_kind(kind: str) -> list[Framework]:
    """Every framework of ``kind`` (outline or report-rule), oldest first."""
    return list(_of_kind(kind, tuple(sorted(framework_paths().items()))))


@lru_cache(maxsize=16)
def _of_kind(kind: str, listing: tuple[tuple[str, Path], ...]) -> tuple[Framework, ...]:
    """``frameworks_of_kind`` for one listing of the folders (ids and paths): files are loaded once
    per path (``_load_path``), so the answer changes only with the listing. An analysis asks a
    few times (outline, rule and layout choices)."""
    found = [_load_path(path, framework_id) for framework_id, path in listing]
    return tuple(sorted((f for f in found if f.kind == kind), key=lambda f: (f.years[0], f.id)))


def outlines() -> list[Framework]:
    return frameworks_of_kind("outline")


def scale_outline() -> Framework:
    """The outline whose section ids are the common scale itself (S1..S7: every section its own scale id):
    the one cross-year comparisons are drawn on."""
    for outline in outlines():
        if outline.sections and all(s.scale == s.id for s in outline.sections):
            return outline
    raise FrameworkError("no outline defines the common scale (a file whose every section has scale: <its own id>)")
