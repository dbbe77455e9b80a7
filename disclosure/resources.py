"""Where templates and themes come from: the package's own, overridden file by file by a project's.

The package ships the default outline profiles (disclosure/templates/) and themes
(disclosure/themes/). A project folder (the folder a build runs in) may hold its own
templates/ and themes/: a file there replaces the package's file of the same name, and a new
folder adds a profile or a theme, as mkdocs' `custom_dir` does.
"""

from __future__ import annotations

import importlib.util
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ReportError

if TYPE_CHECKING:
    from .model import Manifest

PACKAGE = Path(__file__).resolve().parent
SHARED = "_shared"  # templates every profile uses
PROFILE_NAMES = "名称.txt"  # a profile folder's Chinese names (aliases), one per line
DEFAULT_THEME = "default"
# A profile or theme is named by one plain folder name: never a path, never hidden.
_NAME = re.compile(r"[^\\/:*?\"<>|\x00-\x1f.][^\\/:*?\"<>|\x00-\x1f]*")


def plain_name(name: str) -> bool:
    """Tell whether a profile or theme name is a single folder name (no separator, no “..”, not hidden)."""
    return bool(_NAME.fullmatch(name)) and ".." not in name and not name.startswith("_")


def own_folder(root: Path, name: str) -> Path | None:
    """The folder `name` of a templates/ or themes/ root, if it is one of its own.

    A name is one plain folder name, and the folder must not be a link leading out of the root:
    report.yaml chooses the theme and the outline by name, and a name must never reach a folder
    elsewhere on the machine (whose templates would then run at build time).
    """
    if not plain_name(name):
        return None
    folder = root / name
    if not folder.is_dir():
        return None
    real, base = os.path.realpath(folder), os.path.realpath(root)
    return folder if real.startswith(base.rstrip(os.sep) + os.sep) else None


@dataclass(frozen=True)
class Theme:
    """A theme: its folders, the project's first, and the files they hold (the first one found wins)."""

    name: str
    folders: tuple[Path, ...]

    def file(self, name: str) -> Path | None:
        for folder in self.folders:
            path = folder / name
            if path.is_file():
                return path
        return None


@dataclass(frozen=True)
class Project:
    """A project folder and the package it overrides: the places templates and themes are found."""

    root: Path = field(default_factory=Path.cwd)

    @cached_property
    def template_roots(self) -> tuple[Path, ...]:
        own = self.root / "templates"
        return (own, PACKAGE / "templates") if own.is_dir() else (PACKAGE / "templates",)

    @cached_property
    def theme_roots(self) -> tuple[Path, ...]:
        own = self.root / "themes"
        return (own, PACKAGE / "themes") if own.is_dir() else (PACKAGE / "themes",)

    @cached_property
    def profiles(self) -> dict[str, str]:
        """Map each profile's folder name and Chinese names to its folder name."""
        names: dict[str, str] = {}
        for root in reversed(self.template_roots):  # the project's own names win
            for folder in sorted(p for p in root.iterdir() if own_folder(root, p.name) is not None):
                names[folder.name] = folder.name
                title = folder / PROFILE_NAMES
                if title.is_file():
                    for alias in title.read_text(encoding="utf-8").split():
                        names[alias] = folder.name
        return names

    def template_folders(self, profile: str) -> tuple[Path, ...]:
        """The folders a profile's templates are looked up in, in order: its own, then the shared ones."""
        return tuple(
            root / name
            for name in (profile, SHARED)
            for root in self.template_roots
            if (name == SHARED and (root / name).is_dir()) or own_folder(root, name) is not None
        )

    def profile_of(self, manifest: Manifest) -> str:
        """The profile folder report.yaml names (by folder name or Chinese name), or a message at its line."""
        profiles = self.profiles
        profile = profiles.get(manifest.profile)
        if profile is None:
            choices = "、".join(sorted({k for k in profiles if not k.isascii()} or profiles))
            raise _not_found(manifest, "profile", "提纲", "只写提纲的名称或 templates/ 下的一个文件夹名", choices)
        return profile

    def theme_of(self, manifest: Manifest) -> Theme:
        """The theme report.yaml names, or a message at its line listing the themes there are."""
        found = self.theme(manifest.theme)
        if found is None:
            raise _not_found(manifest, "theme", "主题", "只写 themes/ 下的一个文件夹名", "、".join(self.themes))
        return found

    def template_file(self, profile: str, name: str) -> Path | None:
        """The file a profile uses for `name` (its own, else the shared one), project before package."""
        for folder in self.template_folders(profile):
            path = folder / name
            if path.is_file():
                return path
        return None

    @cached_property
    def themes(self) -> tuple[str, ...]:
        return tuple(
            sorted({p.name for root in self.theme_roots for p in root.iterdir() if own_folder(root, p.name) is not None})
        )

    def theme(self, name: str) -> Theme | None:
        """A theme by name, or None when there is no such theme (or the name is not a plain folder name)."""
        folders = tuple(found for root in self.theme_roots if (found := own_folder(root, name)) is not None)
        if not folders:
            return None
        if name != DEFAULT_THEME:  # a theme may leave out any file: the default theme's is used
            folders += tuple(root / DEFAULT_THEME for root in self.theme_roots if (root / DEFAULT_THEME).is_dir())
        return Theme(name, folders)

    def input_folders(self, profile: str, theme: str) -> tuple[Path, ...]:
        """Every folder whose files a report built with this profile and theme depends on (for fingerprints)."""
        found = self.theme(theme)
        return (*self.template_folders(profile), *(found.folders if found else ()))


def _not_found(manifest: Manifest, attr: str, key: str, rule: str, choices: str) -> ReportError:
    """The message at report.yaml's line for a 提纲 or 主题 that is not there: a path is no name at all."""
    name = getattr(manifest, attr)
    if not plain_name(name):
        return ReportError(manifest.at(attr, key), f"{key}{rule}，不能写路径“{name}”；可选：{choices}")
    return ReportError(manifest.at(attr, key), f"没有名为“{name}”的{key}；可选：{choices}")


def private_cache(name: str) -> Path | None:
    """A folder of this toolkit's own in the system's temporary folder, for what is kept between runs
    (compiled templates, the DOCX package skeleton), private to this user; None when there is none
    to use: no writable temporary folder, or a folder of that name that another user made or can
    write to (what it held would go into the reports)."""
    user = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"disclosure-{name}-{user}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or (hasattr(os, "getuid") and (info.st_uid != user or info.st_mode & 0o077)):
        return None
    return folder


def keep_cached(path: Path, data: bytes) -> None:
    """Keep a file of a cache: written whole beside it, then renamed over it, so a reader never sees
    half of it; not kept when it cannot be written (what a cache does not hold is made again)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def library_stamp(module: str) -> str:
    """What tells one installed version of a library from another, without importing it (nor reading
    its metadata, which takes longer): where its package lies, and its size and modification time."""
    spec = importlib.util.find_spec(module)
    origin = spec.origin if spec is not None else None
    if not origin:
        return f"{module}:missing"
    try:
        info = os.stat(origin)
    except OSError:  # inside an archive: its place is all there is to go by
        return origin
    return f"{origin}:{info.st_size}:{info.st_mtime_ns}"
