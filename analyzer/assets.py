"""Every runtime asset of govreport, found one way, with one policy when one is missing or damaged.

The shipped data is package data, so a wheel installed anywhere finds it exactly as a checkout does:

- ``analyzer/data/``: the 套话 lexicon, the section and element models, the exemplar passages, the
  segmenter's domain dictionary and the comparison stop-list (``ASSETS`` lists them);
- ``analyzer/frameworks/``: the framework files (``framework_dir``).

Both are located through ``importlib.resources``, never relative to the current directory. One
override: ``GOVREPORT_DATA=DIR`` (or ``govreport --data DIR``) reads the data folder from ``DIR``
instead, with the same layout. A missing or unreadable asset raises ``AssetError`` naming the asset,
the path looked at and how to restore it: no feature quietly degrades because a file is gone.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from analyzer.errors import GovreportError

DATA_ENV = "GOVREPORT_DATA"
T = TypeVar("T")

_REINSTALL = "重新安装 govreport(pip install --force-reinstall govreport-*.whl)"


@dataclass(frozen=True)
class Asset:
    """One shipped file: what it is (Chinese first, for the error message), where it lives inside the
    data folder, and the command that rebuilds it in a source checkout."""

    name: str
    path: str
    rebuild: str

    @property
    def how_to_restore(self) -> str:
        return f"{_REINSTALL},或在源码目录中运行 `{self.rebuild}`"


LEXICON = Asset("套话词表 (boilerplate lexicon)", "lexicon/boilerplate.yaml",
                "git checkout -- analyzer/data/lexicon/boilerplate.yaml")
SECTION_MODEL = Asset("段落分类模型 (section classifier)", "models/section_classifier.npz", "govreport train")
ELEMENT_MODEL = Asset("要素分类模型 (element classifier)", "models/element_classifier.npz", "govreport train")
EXEMPLARS = Asset("范例段落 (exemplar passages)", "exemplars.jsonl", "govreport corpus build")
USERDICT = Asset("分词词典 (segmenter dictionary)", "userdict.txt", "git checkout -- analyzer/data/userdict.txt")
STOPWORDS = Asset("停用词表 (stop-list)", "stopwords.txt", "git checkout -- analyzer/data/stopwords.txt")
ASSETS = (LEXICON, SECTION_MODEL, ELEMENT_MODEL, EXEMPLARS, USERDICT, STOPWORDS)


class AssetError(GovreportError, RuntimeError):
    """A shipped asset is missing or cannot be read: the installation is incomplete, not the input bad."""

    code = "asset"
    advice = "安装不完整:随附的数据文件缺失或损坏。请重新安装 govreport,或用 GOVREPORT_DATA 指向完整的数据目录。"

    def __init__(self, asset: Asset, path: Path, problem: str):
        self.asset, self.path = asset, path
        super().__init__(f"{asset.name} {problem}: {path}。恢复方法:{asset.how_to_restore}。")


def package_dir(name: str) -> Path:
    """A folder of the installed ``analyzer`` package (installed unzipped, as pip always does)."""
    return Path(os.fspath(files("analyzer").joinpath(name)))


def data_dir() -> Path:
    """The data folder: ``GOVREPORT_DATA`` when set (and not empty), else the package's own ``data/``."""
    configured = os.environ.get(DATA_ENV, "").strip()
    return Path(configured).expanduser() if configured else package_dir("data")


def framework_dir() -> Path:
    """The framework files. They ship in the package and are not overridden by ``GOVREPORT_DATA``."""
    return package_dir("frameworks")


def asset_path(asset: Asset) -> Path:
    """Where ``asset`` is, whether or not it exists (for writers: ``govreport train``, ``corpus build``)."""
    return data_dir() / asset.path


def require(asset: Asset) -> Path:
    """The path of ``asset``; ``AssetError`` when it is not there."""
    path = asset_path(asset)
    if not path.is_file():
        raise AssetError(asset, path, "缺失 (missing)")
    return path


def load(asset: Asset, reader: Callable[[Path], T]) -> T:
    """``reader(path)`` of a present ``asset``; a file ``reader`` cannot make sense of is ``AssetError``."""
    path = require(asset)
    try:
        return reader(path)
    except (OSError, ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise AssetError(asset, path, f"已损坏 (corrupt: {type(exc).__name__}: {exc})") from exc
