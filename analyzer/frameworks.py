"""Frameworks as data: the sections, parts and elements a report is checked against.

Each framework is one YAML file in ``analyzer/frameworks/``; adding a report type means adding a
file, never a code branch. Files are validated with pydantic on load, and a malformed file raises
``FrameworkError`` naming the file and the field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

FRAMEWORK_DIR = Path(__file__).parent / "frameworks"
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


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Examples(_Strict):
    """Sentences that must (``pass``) and must not (``fail``) count as evidence; the tests run them."""

    pass_: list[str] = Field(alias="pass", min_length=1)
    fail: list[str] = Field(min_length=1)


class Element(_Strict):
    """A concrete measure a section should give evidence of."""

    id: str
    name: str
    status: Status
    terms: list[str] = Field(min_length=1, description="phrases any one of which evidences the element")
    regex: list[str] = Field(default_factory=list, description="extra regular expressions over the text")
    evidence: list[str] = Field(min_length=1, description="figures a reviewer expects as evidence")
    examples: Examples
    scope: Literal["part", "report"] = Field(
        default="part", description="for report-level checks: search the part's paragraphs or the whole report"
    )


class Section(_Strict):
    """A required section: heading aliases, cue terms for paragraphs, and its elements."""

    id: str
    name: str
    outline_ref: str
    status: Status
    scale: str | None = Field(description="position on the common S1..S7 scale, or null")
    includes: list[str] = Field(
        default_factory=list, description="labels of other frameworks that fold into this section"
    )
    aliases: list[str] = Field(min_length=1)
    cues: list[str] = Field(min_length=5)
    elements: list[Element] = Field(default_factory=list)


class Part(_Strict):
    """A non-section report part (shared ids) or a report-level requirement."""

    id: str
    name: str
    required: bool
    aliases: list[str] = Field(default_factory=list)
    cues: list[str] = Field(default_factory=list)
    checks: list[Element] = Field(default_factory=list, description="report-level elements, e.g. causes given")


class Framework(_Strict):
    id: str
    name: str
    description: str
    years: tuple[int, int]
    basis: str
    status_note: str
    section_from: str | None = Field(default=None, description="framework whose sections this one reads through")
    sections: list[Section] = Field(default_factory=list)
    parts: list[Part]

    @model_validator(mode="after")
    def _ids_unique(self) -> Framework:
        ids = [s.id for s in self.sections] + [p.id for p in self.parts]
        ids += [e.id for s in self.sections for e in s.elements] + [c.id for p in self.parts for c in p.checks]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate ids {dupes}")
        return self

    @property
    def section_ids(self) -> list[str]:
        return [s.id for s in self.sections]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)


def load_framework_file(path: Path) -> Framework:
    """Load and validate one framework file; errors name the file and the offending field."""
    try:
        data = load_yaml_file(path)
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise FrameworkError(f"{path}: cannot read framework file: {exc}") from exc
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}: a framework file must be a YAML mapping")
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise FrameworkError(f"{path}: field '{where}': {first['msg']}") from exc


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
