"""What goes into the frozen app, computed from the project itself.

The PyInstaller spec (``chronoscope.spec``), the build script and the
packaging tests all read this module, so the three cannot disagree:

* the data files come from :data:`db.resources.BUNDLED`, placed where
  :func:`db.resources.resources_root` looks for them in a frozen app;
* the Qt modules kept are the ones the application's sources import, every
  other PySide6 module is excluded;
* every installed distribution outside the runtime dependencies
  (``[project].dependencies`` and what they require) is excluded: the
  ``dev`` extra and whatever it pulled in;
* Qt files the hooks collect but the app does not use are dropped.

Pure Python with no PyInstaller import, so it can be tested without building.
``packaging/`` is deliberately not a Python package (it would shadow the
PyPI ``packaging`` module): load this file by path.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.metadata
import importlib.util
import posixpath
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
#: The file name the frozen app looks up with ``resource_path(DATABASE_NAME)`` (see db/cache.py).
DATABASE_NAME = "chronoscope.sqlite"
#: The file (in PyInstaller's work folder) where the spec records the data files it bundled.
DATAS_RECORD = "chronoscope-datas.json"
#: Our own packages; every module in them is bundled, because the build pipeline loads its
#: stages by name (db/stages.py), which PyInstaller's import scan cannot see.
APP_PACKAGES = ("db", "desktop")
APP_SOURCES = ("main.py", *APP_PACKAGES)

#: Files that are never resources, wherever they turn up.
_JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep", ".gitignore"}
_JUNK_DIRS = {"__pycache__", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
_JUNK_SUFFIXES = {".pyc", ".pyo", ".orig", ".rej", ".swp"}

#: Modules no build of the app needs, whatever imports them: GUI toolkits we do not use, the
#: standard library's own tests and tools, and packaging tools.
ALWAYS_EXCLUDED = (
    "tkinter",
    "_tkinter",
    "turtle",
    "turtledemo",
    "idlelib",
    "test",
    "lib2to3",
    "pydoc_data",
    "ensurepip",
    "venv",
    "distutils",
    "setuptools",
    "_distutils_hack",
    "pkg_resources",
    "pip",
    "PyInstaller",
    "IPython",
    "matplotlib",
    "PyQt5",
    "PyQt6",
    "PySide2",
    # An offline app has no use for TLS. hashlib falls back to its built-in sha/md5/blake2 without
    # _hashlib, and these two alone bring OpenSSL (about 5 MB) into the bundle.
    "ssl",
    "_ssl",
    "_hashlib",
)

#: Qt modules the GUI needs even if no source file names them.
QT_ALWAYS_KEPT = frozenset({"QtCore", "QtGui", "QtWidgets"})

#: Qt plugins the app does not want, by folder and a part of the file name:
_QT_DROP_PLUGINS = {
    # Embedded / remote displays. Desktop users get xcb or wayland (Linux), cocoa (macOS),
    # windows (Windows); the smoke test and screenshots use offscreen.
    "platforms": ("eglfs", "linuxfb", "minimalegl", "vnc", "vkkhrdisplay"),
    "egldeviceintegrations": ("",),
    # TUIO touch arrives over UDP: it links QtNetwork (and Kerberos with it) into an offline app.
    # Touch screens reach Qt through the platform plugin (xcb/wayland/windows/cocoa) anyway.
    "generic": ("tuiotouch",),
    # The app reads PNG and SVG (icons) and writes PNG (screenshots); JPEG, GIF, ICO and ICNS stay
    # for images Qt itself may meet (themes, the window icon on Windows and macOS).
    "imageformats": ("tiff", "webp", "tga", "wbmp"),
    # The GTK3 theme needs the system's libgtk-3 but makes PyInstaller bundle the host's cairo,
    # pango and gdk-pixbuf, which would then be mixed with the user's GTK. The XDG portal theme
    # stays for native file dialogs.
    "platformthemes": ("gtk3",),
}
#: Libraries only the dropped plugins link against (PyInstaller also places symlinks to them
#: outside the PySide6 folder, so these go wherever they are).
_QT_DROP_LIBS = ("Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport")


# --------------------------------------------------------------------------- resources


@contextlib.contextmanager
def _pretend_frozen(meipass: Path) -> Iterator[None]:
    """Set ``sys._MEIPASS`` for the duration, restoring what was there."""
    missing = object()
    old = getattr(sys, "_MEIPASS", missing)
    sys._MEIPASS = str(meipass)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if old is missing:
            del sys._MEIPASS  # type: ignore[attr-defined]
        else:
            sys._MEIPASS = old  # type: ignore[attr-defined]


def _resources_module():  # type: ignore[no-untyped-def]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import db.resources

    return db.resources


def frozen_resources_dir() -> PurePosixPath:
    """Where, relative to the bundle's ``_MEIPASS``, the frozen app looks for resources.

    Asked of :func:`db.resources.resources_root` itself rather than written down a second time.
    """
    res = _resources_module()
    sentinel = Path("/__chronoscope_meipass__")
    with _pretend_frozen(sentinel):
        root = res.resources_root()
    return PurePosixPath(Path(root).relative_to(sentinel).as_posix())


def bundled_names() -> tuple[str, ...]:
    """The resource folders and files the app ships (``db.resources.BUNDLED``)."""
    return tuple(_resources_module().BUNDLED)


def _is_junk(rel: PurePosixPath) -> bool:
    return (
        rel.name in _JUNK_NAMES
        or rel.suffix in _JUNK_SUFFIXES
        or any(part in _JUNK_DIRS for part in rel.parts)
    )


def resource_files(
    resources_dir: Path, names: Iterable[str]
) -> tuple[list[PurePosixPath], list[str]]:
    """Every file under ``resources_dir`` that ``names`` covers, relative to it (sorted), and the
    names that do not exist."""
    files: list[PurePosixPath] = []
    missing: list[str] = []
    for name in names:
        path = resources_dir / name
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = [p for p in path.rglob("*") if p.is_file()]
        else:
            missing.append(name)
            continue
        for p in candidates:
            rel = PurePosixPath(p.relative_to(resources_dir).as_posix())
            if not _is_junk(rel):
                files.append(rel)
    return sorted(set(files)), missing


@dataclass
class Datas:
    """The spec's ``datas``: ``(source file, destination folder in the bundle)`` pairs."""

    entries: list[tuple[str, str]] = field(default_factory=list)
    #: Entries of ``BUNDLED`` that do not exist in this checkout (warned about, not fatal).
    missing: list[str] = field(default_factory=list)
    #: Non-module files of our packages (see :func:`package_data`), same pairs.
    package: list[tuple[str, str]] = field(default_factory=list)

    @property
    def all(self) -> list[tuple[str, str]]:
        return [*self.entries, *self.package]


def datas(database: Path | None, root: Path = ROOT) -> Datas:
    """Data files for the bundle: everything ``BUNDLED`` names, plus the prebuilt database and the
    non-module files of our packages (:func:`package_data`).

    One entry per file (not per folder), so the list is exactly what the bundle holds and a test
    can compare it with what the accessor reaches.
    """
    resources_dir = root / "resources"
    prefix = frozen_resources_dir()
    files, missing = resource_files(resources_dir, bundled_names())
    out = Datas(missing=missing)
    for rel in files:
        dest = prefix / rel.parent
        out.entries.append((str(resources_dir / rel), dest.as_posix()))
    if database is not None:
        out.entries.append((str(database), prefix.as_posix()))
    for rel in package_data(root):
        out.package.append((str(root / rel), rel.parent.as_posix()))
    return out


def app_icon(platform: str, resources_dir: Path = RESOURCES) -> Path | None:
    """The icon for the executable (Windows ``.ico``) or the .app (macOS ``.icns``), from
    ``resources/icons/chronoscope.*``. A ``.png`` works too when Pillow is installed (PyInstaller
    converts it). Linux executables carry no icon: ``None`` there."""
    if platform.startswith("linux"):
        return None
    icons = resources_dir / "icons"
    native = ".ico" if platform == "win32" else ".icns"
    candidates = [icons / f"chronoscope{native}"]
    if importlib.util.find_spec("PIL") is not None:
        candidates.append(icons / "chronoscope.png")
    return next((p for p in candidates if p.is_file()), None)


# --------------------------------------------------------------------------- Python modules


def _module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _is_alembic_scripts(folder: Path) -> bool:
    """An Alembic script directory: read from disk by Alembic, never imported as a package."""
    return (folder / "env.py").is_file() and (folder / "script.py.mako").is_file()


def _app_files(root: Path) -> Iterator[tuple[PurePosixPath, bool]]:
    """Each file of our own packages (relative to ``root``) and whether it is an importable module:
    a ``.py`` file whose path is made of identifiers (regular or namespace packages) and that is
    not part of an Alembic script directory."""
    for pkg in APP_PACKAGES:
        base = root / pkg
        if not (base / "__init__.py").is_file():
            continue
        scripts = [p.parent for p in base.rglob("env.py") if _is_alembic_scripts(p.parent)]
        for p in sorted(base.rglob("*")):
            if not p.is_file():
                continue
            rel = PurePosixPath(p.relative_to(root).as_posix())
            if _is_junk(rel):
                continue
            is_module = (
                rel.suffix == ".py"
                and all(part.isidentifier() for part in rel.with_suffix("").parts)
                and not any(p.is_relative_to(s) for s in scripts)
            )
            yield rel, is_module


def app_modules(root: Path = ROOT) -> list[str]:
    """Every module of our own packages, found by walking the files (nothing is imported)."""
    return sorted(
        _module_name(root / rel, root) for rel, is_module in _app_files(root) if is_module
    )


def package_data(root: Path = ROOT) -> list[PurePosixPath]:
    """Files inside our packages that are not modules, e.g. the workspace's Alembic migrations
    (``db/workspace/migrations``: env.py, versions/, script.py.mako), which Alembic reads from
    the folder beside ``store.py``; the frozen app keeps them at the same relative path."""
    return [
        rel
        for rel, is_module in _app_files(root)
        if not is_module and rel.suffix not in (".pyi",) and rel.name != "py.typed"
    ]


def package_data_imports(root: Path = ROOT) -> list[str]:
    """Modules the Python files among :func:`package_data` import (``alembic.op``,
    ``db.workspace.models``, ...). Alembic executes those files from disk, so PyInstaller never
    sees their imports; they become hidden imports."""
    names: set[str] = set()
    for rel in package_data(root):
        if rel.suffix != ".py":
            continue
        tree = ast.parse((root / rel).read_text(encoding="utf-8"), filename=str(rel))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
    # "from X import name" names a module only sometimes; keep what resolves to one.
    return sorted(n for n in names if n != "__future__" and _is_module(n))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


_QT_IMPORT = re.compile(r"\bPySide6\.(Qt\w+)")
_QT_FROM_IMPORT = re.compile(r"from\s+PySide6\s+import\s+\(?([\w\s,]+)\)?")


def _source_files(root: Path) -> Iterator[Path]:
    for entry in APP_SOURCES:
        p = root / entry
        if p.is_file():
            yield p
        elif p.is_dir():
            yield from (f for f in p.rglob("*.py") if "__pycache__" not in f.parts)


def used_qt_modules(root: Path = ROOT) -> set[str]:
    """Qt modules the application's sources import (``PySide6.QtX`` or ``from PySide6 import QtX``)."""
    used: set[str] = set(QT_ALWAYS_KEPT)
    for f in _source_files(root):
        text = f.read_text(encoding="utf-8", errors="replace")
        used.update(_QT_IMPORT.findall(text))
        for group in _QT_FROM_IMPORT.findall(text):
            used.update(n.strip() for n in group.split(",") if n.strip().startswith("Qt"))
    return used


def installed_qt_modules() -> set[str]:
    """The PySide6 binding modules installed in this environment."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return set()
    names: set[str] = set()
    for loc in spec.submodule_search_locations:
        for p in Path(loc).iterdir():
            m = re.match(r"^(Qt\w+?)(?:\.abi3|\.cpython[^.]*|\.cp\d+[^.]*)?\.(so|pyd)$", p.name)
            if m:
                names.add(m.group(1))
    return names


def qt_excludes(root: Path = ROOT) -> list[str]:
    """Every installed PySide6 module the app does not import, as PyInstaller excludes."""
    return sorted(f"PySide6.{m}" for m in installed_qt_modules() - used_qt_modules(root))


def _pyproject(root: Path = ROOT) -> dict:  # type: ignore[type-arg]
    with (root / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)


def _req_name(req: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _runtime_closure(direct: Iterable[str]) -> set[str]:
    """Distribution names the runtime dependencies need, transitively (extras ignored)."""
    seen: set[str] = set()
    todo = [_req_name(r) for r in direct]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        # Requirements behind an extra ("...; extra == 'socks'") are not installed by default.
        todo.extend(_req_name(r) for r in requires if "extra" not in r.partition(";")[2])
    return seen


def runtime_distributions(root: Path = ROOT) -> set[str]:
    """Distributions the app needs at run time: ``[project].dependencies`` and what they require."""
    return _runtime_closure(_pyproject(root)["project"].get("dependencies", []))


def unneeded_modules(root: Path = ROOT) -> list[str]:
    """Top-level import names of every installed distribution the app does not need at run time.

    That covers the ``dev`` extra (pytest, hypothesis, dateparser, ...) and everything they pulled
    in (pygments, regex, ...): PyInstaller would otherwise bundle whatever an optional import in a
    runtime dependency happens to find in the build environment (mako finds pygments, say).
    """
    runtime = runtime_distributions(root)
    needed: set[str] = set()
    unneeded: set[str] = set()
    for module, dists in importlib.metadata.packages_distributions().items():
        names = {d.lower().replace("_", "-") for d in dists}
        (needed if names & runtime else unneeded).add(module)
    return sorted(m for m in unneeded - needed if m.isidentifier())


def excludes(root: Path = ROOT) -> list[str]:
    """The spec's ``excludes``: unused Qt modules, packages outside the runtime dependencies,
    and :data:`ALWAYS_EXCLUDED`."""
    return sorted(set(ALWAYS_EXCLUDED) | set(qt_excludes(root)) | set(unneeded_modules(root)))


# --------------------------------------------------------------------------- trimming


def keep_collected(dest: str) -> bool:
    """Whether a file PyInstaller's Qt hooks collected belongs in the bundle (``dest`` is its
    path inside the bundle). Drops Qt's translations (the app ships none of its own and loads no
    Qt translator) and the plugins listed in ``_QT_DROP_PLUGINS`` with their libraries."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    name = parts[-1] if parts else ""
    if any(lib in name for lib in _QT_DROP_LIBS):
        return False
    if "PySide6" not in parts:
        return True
    if "translations" in parts:
        return False
    if "plugins" in parts:
        i = parts.index("plugins")
        kind = parts[i + 1] if len(parts) > i + 1 else ""
        if any(p in name for p in _QT_DROP_PLUGINS.get(kind, ())):
            return False
    return True


def _is_root(entry: tuple[str, str, str]) -> bool:
    """Binaries loaded for their own sake: Python extensions, Qt plugins, libpython, executables."""
    dest, _src, kind = entry
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    return (
        kind in ("EXTENSION", "EXECUTABLE")
        or "plugins" in parts
        or parts[-1].startswith(("libpython", "python3"))
    )


def prune_orphans(
    kept: list[tuple[str, str, str]],
    dropped: list[tuple[str, str, str]],
    needed: Callable[[str], Iterable[str]],
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Remove the libraries that only the ``dropped`` binaries needed.

    ``kept``/``dropped`` are PyInstaller binary TOC entries ``(dest, src, typecode)``;
    ``needed(src)`` names the libraries a binary links against (base names). A library goes only
    if a dropped binary reaches it and no kept root does, so anything PyInstaller collected for
    another reason (a hook, ``dlopen``) stays. Returns the pruned list and the names removed.
    """
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    for e in kept:
        by_name.setdefault(PurePosixPath(e[0].replace("\\", "/")).name, []).append(e)

    def reach(start: Iterable[tuple[str, str, str]]) -> set[str]:
        seen: set[str] = set()
        todo = [e for e in start if e[2] != "SYMLINK"]
        while todo:
            e = todo.pop()
            for lib in needed(e[1]):
                name = PurePosixPath(lib).name
                if name in seen:
                    continue
                seen.add(name)
                todo.extend(x for x in by_name.get(name, ()) if x[2] != "SYMLINK")
        return seen

    live = reach(e for e in kept if _is_root(e))
    orphans = reach(dropped) - live
    pruned = [
        e for e in kept if _is_root(e) or PurePosixPath(e[0].replace("\\", "/")).name not in orphans
    ]
    return pruned, sorted(orphans & set(by_name))


def drop_dangling_symlinks(
    entries: list[tuple[str, str, str]], bundled: Iterable[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """``entries`` without the SYMLINK entries whose target is no longer in the bundle.

    PyInstaller records symlinks (``libQt6Core.so.6 -> PySide6/Qt/lib/libQt6Core.so.6``) among the
    data files, with the target relative to the link's folder; a target that was left out would
    leave a dangling link. A target that is a folder of bundled files counts as present.
    """
    present: set[str] = set()
    for dest, _src, _kind in bundled:
        p = PurePosixPath(dest.replace("\\", "/"))
        present.add(p.as_posix())
        present.update(parent.as_posix() for parent in p.parents)
    out = []
    for e in entries:
        dest, src, kind = e
        if kind == "SYMLINK":
            link_dir = PurePosixPath(dest.replace("\\", "/")).parent
            target = posixpath.normpath((link_dir / src.replace("\\", "/")).as_posix())
            if target not in present:
                continue
        out.append(e)
    return out


#: Paths inside a finished bundle that must never be there (checked by the build script).
FORBIDDEN_IN_BUNDLE = (
    re.compile(r"(^|/)PySide6/Qt/translations/"),
    re.compile(r"(^|/)PySide6/Qt/qml/"),
    re.compile(
        r"(^|/)PySide6/Qt(Qml|Quick|WebEngine|3D|Multimedia|Pdf|Charts|Sql|Test|Designer)\w*\.(abi3\.)?(so|pyd)$"
    ),
    re.compile(
        r"(^|/)(libQt6|Qt6)(Qml|Quick|WebEngine|3D|Multimedia|Pdf|Charts|Test|Designer)\w*\.(so|dll|dylib)"
    ),
    re.compile(r"(^|/)(tkinter|_tkinter|tcl|tk|tcl8|tk8)(/|\.|$)"),
    re.compile(r"(^|/)(_?pytest|hypothesis|dateparser|networkx|lxml|mypy)(/|$)"),
)
