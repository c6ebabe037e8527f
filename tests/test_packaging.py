"""The PyInstaller spec and the app agree: same resource files, same name and version.

These run the real spec file with PyInstaller's build classes replaced by
recorders, so they check what the spec would hand PyInstaller without
building anything (the build itself is ``python packaging/build.py``).
"""

from __future__ import annotations

import ast
import importlib.util
import plistlib
import re
import sys
import tomllib
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any, ClassVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "chronoscope.spec"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"chronoscope_packaging_{name}", PACKAGING / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bundle = _load("bundle")
appinfo = _load("appinfo")


class _Recorder:
    """Stands in for one of PyInstaller's spec classes and keeps what it was given."""

    calls: list[_Recorder]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        type(self).calls.append(self)


def _recorder(name: str) -> type[_Recorder]:
    return type(name, (_Recorder,), {"calls": []})


class _FakeAnalysis(_Recorder):
    calls: ClassVar[list[_Recorder]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pure: list[tuple[str, str, str]] = []
        self.scripts: list[tuple[str, str, str]] = []
        self.binaries: list[tuple[str, str, str]] = []
        self.datas = [(dest + "/" + Path(src).name, src, "DATA") for src, dest in kwargs["datas"]]


@pytest.fixture()
def spec_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Execute packaging/chronoscope.spec with recorders; returns its namespace."""
    database = tmp_path / "chronoscope.sqlite"
    database.write_bytes(b"SQLite format 3\x00")
    monkeypatch.setattr(sys, "argv", [str(SPEC), "--database", str(database)])
    namespace: dict[str, Any] = {
        "__file__": str(SPEC),
        "__name__": "__main__",
        "SPECPATH": str(PACKAGING),
        "SPEC": str(SPEC),
        "specnm": "chronoscope",
        "workpath": str(tmp_path / "work"),
        "DISTPATH": str(tmp_path / "dist"),
        "Analysis": type("Analysis", (_FakeAnalysis,), {"calls": []}),
        "PYZ": _recorder("PYZ"),
        "EXE": _recorder("EXE"),
        "COLLECT": _recorder("COLLECT"),
        "BUNDLE": _recorder("BUNDLE"),
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    namespace["_database"] = database
    return namespace


def _frozen(monkeypatch: pytest.MonkeyPatch, meipass: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(meipass), raising=False)


def test_spec_bundles_exactly_the_files_the_accessor_names(
    spec_run: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.cache import prebuilt_path
    from db.resources import BUNDLED, resource_path, resources_root

    prefix = bundle.frozen_resources_dir()
    all_datas = spec_run["Analysis"].calls[0].kwargs["datas"]
    for src, _dest in all_datas:
        assert Path(src).is_file(), src
    datas = [(src, dest) for src, dest in all_datas if PurePosixPath(dest).is_relative_to(prefix)]

    # In the checkout: every file under each BUNDLED name, as the accessor reaches it.
    wanted: list[PurePosixPath] = []
    for name in BUNDLED:
        path = resource_path(name)
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        wanted += [PurePosixPath(p.relative_to(resources_root()).as_posix()) for p in files]
    wanted = [rel for rel in wanted if not bundle._is_junk(rel)]
    assert wanted, "db.resources.BUNDLED names no existing files"

    # In the frozen app: where the spec puts each file must be where the accessor looks.
    meipass = tmp_path / "meipass"
    _frozen(monkeypatch, meipass)
    placed = {meipass / dest / Path(src).name for src, dest in datas}
    expected = {resource_path(*rel.parts) for rel in wanted} | {prebuilt_path()}
    assert placed == expected
    # ... and the database placed there is the one the build was given.
    db_src = [src for src, dest in datas if meipass / dest / Path(src).name == prebuilt_path()]
    assert db_src == [str(spec_run["_database"].resolve())]


def test_spec_sources_are_the_checkout_files(spec_run: dict[str, Any]) -> None:
    from db.resources import resources_root

    for src, dest in spec_run["Analysis"].calls[0].kwargs["datas"]:
        if Path(src).name == bundle.DATABASE_NAME or not Path(src).is_relative_to(resources_root()):
            continue
        rel = Path(src).resolve().relative_to(resources_root())
        assert (
            PurePosixPath(dest)
            == bundle.frozen_resources_dir() / PurePosixPath(rel.as_posix()).parent
        )


def test_spec_bundles_the_workspace_migrations_beside_their_module(
    spec_run: dict[str, Any],
) -> None:
    """Alembic reads db/workspace/migrations from disk, beside store.py: in the frozen app that is
    sys._MEIPASS/db/workspace/migrations (PyInstaller's __file__ for store is under _MEIPASS)."""
    store = importlib.util.find_spec("db.workspace.store")
    if store is None:
        pytest.skip("no workspace store in this checkout yet")
    from db.workspace.store import MIGRATIONS

    wanted = {
        (str(p), PurePosixPath(p.parent.relative_to(ROOT).as_posix()))
        for p in MIGRATIONS.rglob("*")
        if p.is_file()
        and not bundle._is_junk(PurePosixPath(p.name))
        and "__pycache__" not in p.parts
    }
    datas = {
        (src, PurePosixPath(dest)) for src, dest in spec_run["Analysis"].calls[0].kwargs["datas"]
    }
    assert wanted and wanted <= datas
    hidden = set(spec_run["Analysis"].calls[0].kwargs["hiddenimports"])
    assert {"alembic.op", "alembic.context", "db.workspace.models"} <= hidden
    assert not any(m.startswith("db.workspace.migrations") for m in hidden)


def _resource_reads(path: Path) -> list[tuple[str, int, str]]:
    """(file, line, first argument) of every resource_path("literal", ...) call in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        if name == "resource_path" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                out.append((str(path.relative_to(ROOT)), node.lineno, first.value.split("/")[0]))
    return out


def test_everything_the_app_reads_is_bundled() -> None:
    from db.resources import BUNDLED

    sources = [ROOT / "main.py", *(ROOT / "db").rglob("*.py"), *(ROOT / "desktop").rglob("*.py")]
    reads = [r for f in sources for r in _resource_reads(f)]
    assert reads, "no resource_path() calls found: has the accessor been renamed?"
    unbundled = [r for r in reads if r[2] not in (*BUNDLED, bundle.DATABASE_NAME)]
    assert unbundled == [], "resource_path() reads files outside db.resources.BUNDLED"


def test_spec_hides_no_app_module_from_pyinstaller(spec_run: dict[str, Any]) -> None:
    hidden = set(spec_run["Analysis"].calls[0].kwargs["hiddenimports"])
    # The build pipeline imports its stages by name; they must be bundled.
    from db.stages import STAGE_MODULES

    present = [m for m in STAGE_MODULES if importlib.util.find_spec(m) is not None]
    assert set(present) <= hidden
    assert {"db", "db.resources", "db.cache", "desktop", "desktop.app"} <= hidden


def test_excludes_trim_qt_and_dev_tools_but_nothing_the_app_imports(
    spec_run: dict[str, Any],
) -> None:
    excludes = set(spec_run["Analysis"].calls[0].kwargs["excludes"])
    installed = bundle.installed_qt_modules()
    for unused in ("QtQml", "QtQuick", "QtNetwork", "QtSql", "QtTest", "QtDesigner", "QtUiTools"):
        if unused in installed and unused not in bundle.used_qt_modules():
            assert f"PySide6.{unused}" in excludes
    for dev in ("pytest", "_pytest", "hypothesis", "dateparser", "pytestqt", "pygments", "tkinter"):
        if dev == "tkinter" or importlib.util.find_spec(dev) is not None:
            assert dev in excludes

    # Nothing our modules import when they load may be excluded (the frozen app would fail at
    # that import). Imports inside functions are left alone: that is how a dev-only tool in db/
    # (db/timex/evaluate.py comparing with dateparser) keeps its dependency optional.
    imported: set[str] = set()
    for f in [ROOT / "main.py", *(ROOT / "db").rglob("*.py"), *(ROOT / "desktop").rglob("*.py")]:
        imported |= _load_time_imports(ast.parse(f.read_text(encoding="utf-8")))
    clashes = sorted(m for m in imported if any(m == x or m.startswith(x + ".") for x in excludes))
    assert clashes == []


def _load_time_imports(node: ast.AST) -> set[str]:
    found: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(child, ast.Import):
            found.update(a.name for a in child.names)
        elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
            found.add(child.module)
            found.update(f"{child.module}.{a.name}" for a in child.names)
        found |= _load_time_imports(child)
    return found


def test_runtime_dependencies_are_never_excluded() -> None:
    excludes = set(bundle.excludes())
    for module in (
        "sqlalchemy",
        "yaml",
        "ftfy",
        "ahocorasick",
        "alembic",
        "mako",
        "wcwidth",
        "PySide6",
        "shiboken6",
    ):
        assert module not in excludes


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqlinuxfb.so", False),
        ("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so", False),
        ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("libQt6EglFSDeviceIntegration.so.6", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/generic/libqevdevtouchplugin.so", True),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("resources/corpus/sources.yaml", True),
    ],
)
def test_keep_collected(dest: str, kept: bool) -> None:
    assert bundle.keep_collected(dest) is kept


def test_prune_orphans_drops_only_what_dropped_plugins_alone_needed() -> None:
    links = {
        "/x/plugin_kept.so": ["libQt6Gui.so.6"],
        "/x/libQt6Gui.so.6": ["libglib.so"],
        "/x/plugin_gone.so": ["libQt6Network.so.6", "libglib.so"],
        "/x/libQt6Network.so.6": ["libkrb5.so"],
    }
    kept = [
        ("PySide6/Qt/plugins/platforms/plugin_kept.so", "/x/plugin_kept.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/x/libQt6Gui.so.6", "BINARY"),
        ("libglib.so", "/x/libglib.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/x/libQt6Network.so.6", "BINARY"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("libkrb5.so", "/x/libkrb5.so", "BINARY"),
        ("libdlopened.so", "/x/libdlopened.so", "BINARY"),
    ]
    dropped = [("PySide6/Qt/plugins/generic/plugin_gone.so", "/x/plugin_gone.so", "BINARY")]
    pruned, removed = bundle.prune_orphans(kept, dropped, lambda src: links.get(src, []))
    assert removed == ["libQt6Network.so.6", "libkrb5.so"]
    assert [e[0] for e in pruned] == [
        "PySide6/Qt/plugins/platforms/plugin_kept.so",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libglib.so",
        "libdlopened.so",
    ]


def test_drop_dangling_symlinks() -> None:
    entries = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("Frameworks/QtCore.framework/Versions/Current", "A", "SYMLINK"),
        ("resources/corpus/sources.yaml", "/src/sources.yaml", "DATA"),
    ]
    bundled = [
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x", "BINARY"),
        ("Frameworks/QtCore.framework/Versions/A/QtCore", "/y", "BINARY"),
        *entries,
    ]
    assert [e[0] for e in bundle.drop_dangling_symlinks(entries, bundled)] == [
        "libQt6Core.so.6",
        "Frameworks/QtCore.framework/Versions/Current",
        "resources/corpus/sources.yaml",
    ]


def test_resource_files_reports_missing_and_skips_junk(tmp_path: Path) -> None:
    (tmp_path / "icons" / "__pycache__").mkdir(parents=True)
    (tmp_path / "icons" / "app.svg").write_text("<svg/>")
    (tmp_path / "icons" / ".DS_Store").write_text("x")
    (tmp_path / "icons" / "__pycache__" / "x.pyc").write_text("x")
    (tmp_path / "one.txt").write_text("x")
    files, missing = bundle.resource_files(tmp_path, ["icons", "one.txt", "styles"])
    assert files == [PurePosixPath("icons/app.svg"), PurePosixPath("one.txt")]
    assert missing == ["styles"]


# --------------------------------------------------------------------------- identity


def test_app_info_comes_from_the_project() -> None:
    import main
    from db import __version__

    with (ROOT / "pyproject.toml").open("rb") as fh:
        project = tomllib.load(fh)["project"]
    info = appinfo.load(ROOT)
    assert info.version == project["version"] == __version__
    assert info.display_name == main.APP_NAME
    assert info.version_banner == f"{main.APP_NAME} {__version__}"
    assert len(info.version_tuple) == 4 and all(isinstance(n, int) for n in info.version_tuple)


def test_version_banner_is_what_main_prints(capsys: pytest.CaptureFixture[str]) -> None:
    import main

    with pytest.raises(SystemExit) as exit_info:
        main.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == appinfo.load(ROOT).version_banner


def test_mismatched_versions_stop_the_build(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "__init__.py").write_text('__version__ = "9.9.9"\n')
    (tmp_path / "main.py").write_text('APP_NAME = "Chronoscope"\n')
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "chronoscope"\nversion = "0.1.0"\n')
    with pytest.raises(appinfo.MetadataError, match="9.9.9"):
        appinfo.load(tmp_path)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.0.1rc1", (2, 0, 1, 0)),
        ("1.2.3.4.5", (1, 2, 3, 4)),
    ],
)
def test_version_tuple(version: str, expected: tuple[int, ...]) -> None:
    info = appinfo.AppInfo("chronoscope", "Chronoscope", version, "", "MIT")
    assert info.version_tuple == expected


def test_windows_version_resource_is_well_formed() -> None:
    """The text form PyInstaller evaluates on Windows (its loader needs pefile, so stub the classes)."""
    seen: dict[str, Any] = {}

    def record(name: str) -> Any:
        def make(*args: Any, **kwargs: Any) -> dict[str, Any]:
            seen.setdefault(name, []).append((args, kwargs))
            return {"type": name, "args": args, "kwargs": kwargs}

        return make

    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    info = appinfo.load(ROOT)
    text = appinfo.windows_version_resource(info)
    eval(compile(text, "version_info.txt", "eval"), {n: record(n) for n in names})
    ffi = seen["FixedFileInfo"][0][1]
    assert ffi["filevers"] == ffi["prodvers"] == info.version_tuple
    strings = {args[0]: args[1] for args, _ in seen["StringStruct"]}
    assert strings["ProductName"] == "Chronoscope"
    assert strings["ProductVersion"] == strings["FileVersion"] == info.version
    assert strings["OriginalFilename"] == "Chronoscope.exe"


def test_macos_info_plist() -> None:
    info = appinfo.load(ROOT)
    plist = appinfo.macos_info_plist(info)
    assert plistlib.loads(plistlib.dumps(plist)) == plist
    assert plist["CFBundleShortVersionString"] == info.version
    assert plist["CFBundleName"] == "Chronoscope"
    assert re.fullmatch(r"[A-Za-z0-9.-]+", plist["CFBundleIdentifier"])
    assert plist["NSHighResolutionCapable"] is True


def test_spec_names_the_app_from_the_project(spec_run: dict[str, Any]) -> None:
    info = appinfo.load(ROOT)
    collect = spec_run["COLLECT"].calls[0]
    assert collect.kwargs["name"] == info.display_name
    exe_names = [e.kwargs["name"] for e in spec_run["EXE"].calls]
    assert info.display_name in exe_names
    if sys.platform == "darwin":
        assert spec_run["BUNDLE"].calls[0].kwargs["version"] == info.version


# --------------------------------------------------------------------------- build script


@pytest.fixture(scope="module")
def build_script() -> ModuleType:
    return _load("build")


def test_build_script_expects_the_self_test_line_and_tolerates_only_known_noise(
    build_script: ModuleType,
) -> None:
    from desktop import selftest

    assert "self-test ok: " in Path(selftest.__file__).read_text(encoding="utf-8")
    assert build_script.SELF_TEST_LINE.match("self-test ok: event x selected in 1.0 ms")
    assert not build_script.SELF_TEST_LINE.match("self-test FAILED: no events")
    noise = "This plugin does not support propagateSizeHints()\n\n"
    assert build_script._unexpected_stderr(noise) == []
    warning = 'qt.qpa.plugin: Could not load the Qt platform plugin "xcb"'
    assert build_script._unexpected_stderr(noise + warning) == [warning]


def test_build_script_layout_matches_the_spec(
    build_script: ModuleType, spec_run: dict[str, Any]
) -> None:
    info = appinfo.load(ROOT)
    where = build_script.layout(info)
    exe_names = {e.kwargs["name"] for e in spec_run["EXE"].calls}
    assert where.cli.name.removesuffix(".exe") in exe_names
    assert where.app.parent == ROOT / "dist"


def test_table_counts_and_disk_usage(build_script: ModuleType, built_db: Path) -> None:
    counts = build_script.table_counts(built_db)
    assert counts["source"] == 5 and counts["passage"] > 0
    assert build_script._summary(counts).startswith("5 source, ")
    on_disk, apparent = build_script.disk_usage(built_db.parent)
    assert apparent >= built_db.stat().st_size and on_disk > 0
