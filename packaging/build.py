#!/usr/bin/env python3
"""Build the frozen Chronoscope app and smoke-test it: ``python packaging/build.py``.

1. builds the default database (``main.py build --corpus resources/corpus
   --out build/chronoscope.sqlite``);
2. runs PyInstaller on ``packaging/chronoscope.spec``: a one-folder app in
   ``dist/Chronoscope/`` (and ``dist/Chronoscope.app`` on macOS) holding the
   database, corpus, curated data, fonts, icons and kiosk settings;
3. checks the bundle: every file the spec lists is there, the database sits
   where ``resource_path("chronoscope.sqlite")`` looks, nothing that should be
   trimmed (QML, translations, dev-only packages, tkinter) slipped in;
4. runs the frozen app's ``--version`` and ``--self-test`` offscreen, in a
   fresh home folder and, on Linux, with no network and the app folder
   read-only (``unshare -rmn``), and
   fails on a non-zero exit, a timeout, or any output it does not expect;
   the bundle must be unchanged afterwards (the app writes only to the user's
   data directory);
5. reports the size on disk and fails above the budget (150 MB).

Exits 0 when everything passed, 1 with ``build.py: FAILED: <why>`` otherwise.
Run it with the project's Python (the one that has PyInstaller and the app's
dependencies installed), from anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "chronoscope.spec"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
WORK = BUILD / "pyinstaller"
DATABASE = BUILD / "chronoscope.sqlite"
CORPUS = ROOT / "resources" / "corpus"

#: The Linux one-folder app must stay under this many megabytes (10^6 bytes) on disk.
SIZE_BUDGET_MB = 150.0
#: Longest a single frozen-app run may take before the build gives up on it.
RUN_TIMEOUT_S = 120

#: What the self-test prints on success (desktop/selftest.py): exactly one line like this.
SELF_TEST_LINE = re.compile(r"^self-test ok: \S")
#: stderr lines that are harmless on a headless machine. Everything else fails the build: a
#: missing Qt plugin, font or library shows up here first.
ALLOWED_STDERR = (
    # Qt's offscreen platform has no window manager to take size hints.
    re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),
)

IS_WIN = sys.platform == "win32"
IS_MAC = sys.platform == "darwin"
IS_LINUX = sys.platform.startswith("linux")


class BuildFailed(Exception):
    """A step failed; the message says which and why."""


def _load(name: str) -> ModuleType:
    # packaging/ is not a package (it would shadow PyPI "packaging"): load the helpers by path.
    spec = importlib.util.spec_from_file_location(
        f"chronoscope_packaging_{name}", HERE / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bundle = _load("bundle")
appinfo = _load("appinfo")


def say(message: str) -> None:
    print(f"build.py: {message}", flush=True)


@contextlib.contextmanager
def step(title: str, timings: dict[str, float]) -> Iterator[None]:
    say(f"{title} ...")
    start = time.perf_counter()
    yield
    timings[title] = time.perf_counter() - start
    say(f"{title}: done in {timings[title]:.1f} s")


def run(
    cmd: Sequence[str | Path], *, what: str, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """Run a command with output captured; BuildFailed (with its output) if it fails."""
    try:
        proc = subprocess.run(
            [str(c) for c in cmd],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            **kwargs,
        )  # type: ignore[call-overload]
    except subprocess.TimeoutExpired as exc:
        raise BuildFailed(f"{what} did not finish within {exc.timeout} s") from exc
    except OSError as exc:
        raise BuildFailed(f"{what} could not start: {exc}") from exc
    if proc.returncode != 0:
        raise BuildFailed(
            f"{what} exited with {proc.returncode}\n--- stdout ---\n{proc.stdout.rstrip()}\n"
            f"--- stderr ---\n{proc.stderr.rstrip()}"
        )
    return proc


# --------------------------------------------------------------------------- steps


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table of a database file (opened read-only)."""
    con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}
    finally:
        con.close()


def _summary(counts: dict[str, int]) -> str:
    keys = ("source", "passage", "entity", "mention", "event", "evidence")
    return ", ".join(f"{counts[k]} {k}" for k in keys if k in counts)


def build_database() -> None:
    """Build the default database into build/ (read-only friendly, integrity-checked)."""
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    proc = run(
        [sys.executable, ROOT / "main.py", "build", "--corpus", CORPUS, "--out", DATABASE],
        what="building the database",
        cwd=ROOT,
    )
    say(proc.stdout.strip())
    if not DATABASE.is_file():
        raise BuildFailed(f"the database build reported success but wrote no {DATABASE}")
    # The build writes through a private temporary file (mode 0600); a bundle installed by one
    # user and run by another must be able to read it.
    if not IS_WIN:
        DATABASE.chmod(0o644)
    con = sqlite3.connect(DATABASE.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        check = con.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        con.close()
    if mode.lower() == "wal":
        # A WAL database needs a writable -shm file beside it: it cannot be read from a read-only bundle.
        raise BuildFailed(
            f"{DATABASE} is in WAL mode; the bundled database must use a rollback journal"
        )
    if check != "ok":
        raise BuildFailed(f"{DATABASE} fails PRAGMA quick_check: {check}")


def run_pyinstaller(clean: bool) -> None:
    cmd: list[str | Path] = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        DIST,
        "--workpath",
        WORK,
    ]
    if clean:
        cmd.append("--clean")
    cmd += [SPEC, "--", "--database", DATABASE]
    proc = run(cmd, what="PyInstaller", cwd=ROOT)
    for line in proc.stderr.splitlines():
        if "chronoscope.spec:" in line:
            say(line.split("chronoscope.spec:", 1)[1].strip())


@dataclass
class Layout:
    """Where the platform's build put things."""

    app: Path  # what a user gets: the folder (Linux, Windows) or the .app (macOS)
    cli: Path  # the executable that prints to a terminal
    internal: Path  # the folder holding ``resources/`` (sys._MEIPASS)


def layout(info: appinfo.AppInfo) -> Layout:
    name = info.display_name
    if IS_MAC:
        app = DIST / f"{name}.app"
        return Layout(app, app / "Contents" / "MacOS" / name, app / "Contents" / "Frameworks")
    folder = DIST / name
    cli = folder / (f"{info.name}-cli.exe" if IS_WIN else name)
    return Layout(folder, cli, folder / "_internal")


def check_bundle(where: Layout, info: appinfo.AppInfo) -> None:
    """Everything the spec lists is in the bundle where the accessor looks, and nothing trimmed is."""
    if not where.cli.is_file():
        raise BuildFailed(f"PyInstaller produced no {where.cli}")
    if IS_WIN and not (where.app / f"{info.display_name}.exe").is_file():
        raise BuildFailed(f"PyInstaller produced no {info.display_name}.exe")
    record = WORK / SPEC.stem / bundle.DATAS_RECORD  # PyInstaller's workpath for this spec
    if not record.is_file():
        raise BuildFailed(f"the spec left no record of its data files ({record})")
    listed = [(src, dest) for src, dest in json.loads(record.read_text(encoding="utf-8"))]
    missing = [
        f"{dest}/{Path(src).name}"
        for src, dest in listed
        if not (where.internal / dest / Path(src).name).is_file()
    ]
    if missing:
        raise BuildFailed("files the spec lists are missing from the bundle: " + ", ".join(missing))
    # The checkout is shared while PyInstaller runs; say so if its files changed meanwhile.
    now = bundle.datas(DATABASE).all
    if sorted(map(tuple, listed)) != sorted(now):
        changed = sorted({Path(e[0]).name for e in set(map(tuple, listed)) ^ set(now)})
        say(f"WARNING: files changed in the checkout during the build: {', '.join(changed)}")
    db_in_bundle = where.internal / bundle.frozen_resources_dir() / bundle.DATABASE_NAME
    if db_in_bundle.stat().st_size != DATABASE.stat().st_size:
        raise BuildFailed(f"{db_in_bundle} is not the database just built")
    found = []
    for p in where.app.rglob("*"):
        rel = p.relative_to(where.app).as_posix()
        if any(rx.search(rel) for rx in bundle.FORBIDDEN_IN_BUNDLE):
            found.append(rel)
    if found:
        raise BuildFailed("trimmed files found in the bundle: " + ", ".join(sorted(found)[:20]))
    dangling = [p for p in where.app.rglob("*") if p.is_symlink() and not p.exists()]
    if dangling:
        raise BuildFailed(
            "dangling symlinks in the bundle: " + ", ".join(str(p) for p in dangling[:20])
        )


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for p in root.rglob("*"):
        st = p.lstat()
        out[p.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return out


#: Inside a private mount namespace: make the app folder ($1) read-only, then run the rest.
_READ_ONLY_APP = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


def _isolation_prefix(app: Path, require: bool) -> tuple[list[str], str]:
    """A command prefix that cuts the network off (and, where it can, makes the app folder
    read-only, as an installed app would be), and a description of the isolation."""
    if IS_LINUX and shutil.which("unshare"):
        read_only = ["unshare", "-rmn", "sh", "-c", _READ_ONLY_APP, "sh", str(app)]
        if subprocess.run([*read_only, "true"], capture_output=True).returncode == 0:
            return read_only, "no network, app folder read-only (unshare -rmn)"
        probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["unshare", "-rn"], "no network (unshare -rn)"
        reason = probe.stderr.strip() or f"exit {probe.returncode}"
    else:
        reason = "unshare is Linux-only" if not IS_LINUX else "no unshare on PATH"
    if require:
        raise BuildFailed(f"--require-offline: cannot cut the network off ({reason})")
    return [], f"network NOT isolated ({reason})"


def _fresh_env(home: Path) -> dict[str, str]:
    """The environment of a first run on a fresh machine, offscreen, inside ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "XDG_"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(home)
    if IS_WIN:
        for var in ("APPDATA", "LOCALAPPDATA", "USERPROFILE"):
            env[var] = str(home / var.lower())
            Path(env[var]).mkdir(parents=True, exist_ok=True)
    if IS_LINUX:
        # A desktop session has a UTF-8 locale; without one Qt warns and switches to C.UTF-8.
        if "utf" not in (env.get("LC_ALL") or env.get("LANG") or "").lower().replace("-", ""):
            env["LANG"] = "C.UTF-8"
            env.pop("LC_ALL", None)
        runtime = home / "runtime"
        runtime.mkdir(mode=0o700)
        env["XDG_RUNTIME_DIR"] = str(runtime)
    return env


def _unexpected_stderr(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(rx.search(line) for rx in ALLOWED_STDERR)
    ]


def smoke_test(where: Layout, info: appinfo.AppInfo, require_offline: bool) -> dict[str, str]:
    """Run ``--version``, ``--self-test`` and a ``build`` of the bundled corpus (which must give
    the same database as the one bundled); returns what they printed."""
    prefix, isolation = _isolation_prefix(where.app, require_offline)
    before = _snapshot(where.app)
    results: dict[str, str] = {"isolation": isolation}
    with tempfile.TemporaryDirectory(prefix="chronoscope-smoke-") as tmp:
        home = Path(tmp)
        env = _fresh_env(home)

        proc = run(
            [*prefix, where.cli, "--version"],
            what="the frozen app's --version",
            env=env,
            cwd=home,
            timeout=RUN_TIMEOUT_S,
        )
        expected = info.version_banner
        if (
            proc.stdout.strip() != expected
            or proc.stdout.count("\n") > 1
            or _unexpected_stderr(proc.stderr)
        ):
            raise BuildFailed(
                f"--version printed {proc.stdout!r} (stderr {proc.stderr!r}); expected {expected!r}"
            )
        results["version"] = proc.stdout.strip()

        proc = run(
            [*prefix, where.cli, "--self-test"],
            what="the frozen app's --self-test",
            env=env,
            cwd=home,
            timeout=RUN_TIMEOUT_S,
        )
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        if len(lines) != 1 or not SELF_TEST_LINE.match(lines[0]):
            raise BuildFailed(
                f"--self-test should print one report line; it printed:\n{proc.stdout}"
            )
        unexpected = _unexpected_stderr(proc.stderr)
        if unexpected:
            raise BuildFailed(
                "--self-test wrote unexpected messages to stderr:\n" + "\n".join(unexpected)
            )
        results["self-test"] = lines[0]
        written = sorted(
            p.relative_to(home).as_posix()
            for p in home.rglob("*")
            if p.is_file() and "runtime" not in p.parts
        )
        results["written"] = ", ".join(written) if written else "nothing"

        # The frozen pipeline (stages are imported by name, so PyInstaller cannot see them) must
        # rebuild, from the bundled corpus, the database that is bundled.
        bundled_db = where.internal / bundle.frozen_resources_dir() / bundle.DATABASE_NAME
        corpus = where.internal / bundle.frozen_resources_dir() / "corpus"
        out = home / "rebuilt.sqlite"
        run(
            [*prefix, where.cli, "build", "--corpus", corpus, "--out", out],
            what="the frozen app's build command",
            env=env,
            cwd=home,
            timeout=RUN_TIMEOUT_S,
        )
        want, got = table_counts(bundled_db), table_counts(out)
        if got != want:
            diff = {
                k: (want.get(k), got.get(k))
                for k in sorted(set(want) | set(got))
                if want.get(k) != got.get(k)
            }
            raise BuildFailed(
                "the frozen app's build of the bundled corpus differs from the bundled database "
                f"(table: bundled, rebuilt): {diff}. Did db/ or resources/ change during the build?"
            )
        results["build"] = _summary(got)

    after = _snapshot(where.app)
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        raise BuildFailed(
            "running the app changed files inside the bundle: "
            + ", ".join(c[0] for c in changed[:20])
        )
    return results


def disk_usage(root: Path) -> tuple[int, int]:
    """(bytes allocated on disk, apparent bytes) of everything under ``root``; hard links once."""
    seen: set[tuple[int, int]] = set()
    on_disk = apparent = 0
    for p in [root, *root.rglob("*")]:
        st = p.lstat()
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        apparent += st.st_size
        blocks = getattr(st, "st_blocks", None)
        on_disk += blocks * 512 if blocks is not None else st.st_size
    return on_disk, apparent


def archive(where: Layout, info: appinfo.AppInfo) -> Path:
    """Pack the app for download, keeping symlinks and permissions (a CI artifact upload or a
    plain zip of the folder loses them): tar.gz on Linux, ditto zip of the .app on macOS, zip on
    Windows. Written to dist/Chronoscope-VERSION-PLATFORM.*"""
    import platform
    import tarfile

    machine = platform.machine().lower() or "unknown"
    osname = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    stem = f"{info.display_name}-{info.version}-{osname}-{machine}"
    if IS_MAC:
        out = DIST / f"{stem}.zip"
        out.unlink(missing_ok=True)
        run(["ditto", "-c", "-k", "--keepParent", where.app, out], what="ditto")
    elif IS_WIN:
        out = Path(
            shutil.make_archive(str(DIST / stem), "zip", root_dir=DIST, base_dir=where.app.name)
        )
    else:
        out = DIST / f"{stem}.tar.gz"
        with tarfile.open(out, "w:gz") as tar:
            tar.add(where.app, arcname=where.app.name)
    return out


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clean", action="store_true", help="empty PyInstaller's cache first (slower)"
    )
    parser.add_argument(
        "--require-offline",
        action="store_true",
        help="fail if the smoke test cannot run with the network cut off (Linux: unshare -rn)",
    )
    parser.add_argument(
        "--max-size-mb",
        type=float,
        default=SIZE_BUDGET_MB,
        help=f"size budget in MB of 10^6 bytes (default {SIZE_BUDGET_MB:g})",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="skip the database and PyInstaller steps: check and smoke-test the app already in dist/",
    )
    parser.add_argument(
        "--archive",
        action="store_true",
        help="also pack the app into dist/Chronoscope-VERSION-OS-ARCH.tar.gz (.zip on macOS/Windows)",
    )
    args = parser.parse_args(argv)

    timings: dict[str, float] = {}
    start = time.perf_counter()
    try:
        try:
            info = appinfo.load(ROOT)
        except appinfo.MetadataError as exc:
            raise BuildFailed(str(exc)) from exc
        if importlib.util.find_spec("PyInstaller") is None:
            raise BuildFailed(
                f"PyInstaller is not installed for {sys.executable} (pip install pyinstaller)"
            )
        say(
            f"{info.display_name} {info.version} on {sys.platform}, Python {sys.version.split()[0]}"
        )
        missing = bundle.datas(None).missing  # the spec warns about each; summarised at the end

        if not args.reuse:
            with step("database", timings):
                build_database()
            with step("PyInstaller", timings):
                run_pyinstaller(args.clean)
        where = layout(info)
        with step("bundle check", timings):
            check_bundle(where, info)
        with step("smoke test", timings):
            results = smoke_test(where, info, args.require_offline)
        on_disk, apparent = disk_usage(where.app)
        size_mb = on_disk / 1e6
        if size_mb > args.max_size_mb:
            raise BuildFailed(
                f"{where.app} takes {size_mb:.1f} MB on disk, over the {args.max_size_mb:g} MB budget"
            )
        packed = archive(where, info) if args.archive else None
    except BuildFailed as exc:
        print(f"build.py: FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    except Exception:  # a bug here, not in the app: still say clearly that the build failed
        traceback.print_exc()
        print(
            "build.py: FAILED: internal error in the build script (traceback above)",
            file=sys.stderr,
        )
        return 1

    total = time.perf_counter() - start
    say("OK")
    print(
        f"  app:        {where.app}\n"
        f"  run:        {where.cli}\n"
        f"  size:       {size_mb:.1f} MB on disk ({apparent / 1e6:.1f} MB of files; budget {args.max_size_mb:g} MB)\n"
        f"  --version:  {results['version']}\n"
        f"  self-test:  {results['self-test']}\n"
        f"  build:      {results['build']} (frozen rebuild of the bundled corpus = bundled database)\n"
        f"  network:    {results['isolation']}\n"
        f"  wrote:      {results['written']} (in a fresh home folder; nothing inside the bundle)\n"
        f"  time:       {total:.0f} s ({', '.join(f'{k} {v:.0f} s' for k, v in timings.items())})"
        + (f"\n  archive:    {packed} ({packed.stat().st_size / 1e6:.1f} MB)" if packed else "")
        + (
            f"\n  missing:    {', '.join('resources/' + m for m in missing)} (not bundled)"
            if missing
            else ""
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
