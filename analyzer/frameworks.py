"""Frameworks as data: the sections, parts and elements a report is checked against.

Each framework is one YAML file in ``analyzer/frameworks/``; adding a report type means adding a
file, never a code branch. Files are validated on load (msgspec: types, required fields, no unknown
fields, minimum lengths), and a malformed file raises ``FrameworkError`` naming the file and the field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, field

from .assets import framework_dir

FRAMEWORK_DIR = framework_dir()
SHARED_PART_IDS = ("INTRO", "PROBLEMS", "NEXT", "META", "OTHER")
Status = Literal["verified", "partly", "unverified"]


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
    from .cache import cached

    raw = Path(path).read_bytes()
    return cached("yaml", [raw], lambda: load_yaml(raw.decode("utf-8")), code=(__file__,))


class FrameworkError(ValueError):
    """A framework file is missing or malformed."""


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


class Section(_Strict, kw_only=True):
    """A required section: heading aliases, cue terms for paragraphs, and its elements."""

    id: str
    name: str
    outline_ref: str
    status: Status
    scale: Annotated[str | None, Meta(description="position on the common S1..S7 scale, or null")]
    includes: Annotated[list[str], Meta(description="labels of other frameworks that fold into this section")] = field(
        default_factory=list
    )
    aliases: NonEmpty
    cues: Annotated[list[str], Meta(min_length=5)]
    elements: list[Element] = field(default_factory=list)


class Part(_Strict, kw_only=True):
    """A non-section report part (shared ids) or a report-level requirement."""

    id: str
    name: str
    required: bool
    aliases: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)
    checks: Annotated[list[Element], Meta(description="report-level elements, e.g. causes given")] = field(
        default_factory=list
    )


class Framework(_Strict, kw_only=True):
    id: str
    name: str
    description: str
    years: tuple[int, int]
    basis: str
    status_note: str
    section_from: Annotated[str | None, Meta(description="framework whose sections this one reads through")] = None
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


@cache
def load_framework(framework_id: str) -> Framework:
    """The framework with this id, from ``analyzer/frameworks/<id>.yaml``."""
    path = FRAMEWORK_DIR / f"{framework_id}.yaml"
    if not path.exists():
        known = ", ".join(available_frameworks())
        raise FrameworkError(f"unknown framework '{framework_id}' (known: {known})")
    framework = load_framework_file(path)
    if framework.id != framework_id:
        raise FrameworkError(f"{path}: field 'id': '{framework.id}' does not match the file name")
    return framework


def available_frameworks() -> list[str]:
    """Ids of every framework file shipped in ``analyzer/frameworks/``."""
    return sorted(p.stem for p in FRAMEWORK_DIR.glob("*.yaml"))
