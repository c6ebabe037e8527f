"""Kiosk settings (an INI file) and the translated kiosk labels. No Qt here.

The shipped defaults are ``resources/kiosk/kiosk.ini``. A ``kiosk.ini`` beside
the executable (``sys.argv[0]``, or ``sys.executable`` in the frozen app)
overrides them, and a path given on the command line overrides both. Only the
keys a file sets change; a value that cannot be read keeps the default and is
logged, because a kiosk must start whatever a technician typed.
"""

from __future__ import annotations

import configparser
import datetime as dt
import json
import logging
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from db.resources import resource_path

log = logging.getLogger(__name__)

SECTION = "kiosk"
LANGUAGES = ("en", "ru", "hy", "az", "tr")
FILE_NAME = "kiosk.ini"


@dataclass(frozen=True)
class KioskSettings:
    """What the kiosk settings file controls."""

    idle_timeout: float = 120.0  # seconds without input before the idle reset
    tour: bool = True
    tour_step: float = 12.0  # seconds per tour stop
    pin: str = "1918"
    type_scale: float = 1.5
    language: str = "en"
    title: str = ""  # welcome headline; empty = the translated default
    search: bool = False
    exit_taps: int = 5
    exit_tap_seconds: float = 3.0
    exit_corner: int = 120  # px, side of the top-left square the taps must land in
    exit_keys: str = "Ctrl+Alt+Shift+K"
    files: tuple[Path, ...] = field(default=(), compare=False)  # the files read, in order


def default_settings_file() -> Path:
    return resource_path("kiosk", FILE_NAME)


def beside_executable() -> Path | None:
    """A ``kiosk.ini`` next to the program that was started, if there is one."""
    candidates = [Path(sys.argv[0]).resolve().parent] if sys.argv and sys.argv[0] else []
    if getattr(sys, "frozen", False):
        candidates.insert(0, Path(sys.executable).resolve().parent)
    for folder in candidates:
        path = folder / FILE_NAME
        if path.is_file():
            return path
    return None


def load_settings(settings_path: Path | None = None) -> KioskSettings:
    """The defaults, overridden by ``settings_path`` or else by a kiosk.ini beside the app."""
    files = [default_settings_file()]
    override = settings_path if settings_path is not None else beside_executable()
    if override is not None:
        if Path(override).is_file():
            files.append(Path(override))
        else:
            log.warning("kiosk settings file %s not found; using the defaults", override)
    parser = configparser.ConfigParser(inline_comment_prefixes=(";", "#"), interpolation=None)
    read: list[Path] = []
    for path in files:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                parser.read_file(fh, source=str(path))
            read.append(path)
        except (OSError, configparser.Error) as exc:
            log.warning("cannot read kiosk settings %s: %s", path, exc)
    values: dict[str, Any] = {"files": tuple(read)}
    if parser.has_section(SECTION):
        section = parser[SECTION]
        for f in fields(KioskSettings):
            if f.name == "files" or f.name not in section:
                continue
            raw = section[f.name].strip()
            try:
                values[f.name] = _convert(f.name, raw)
            except ValueError as exc:
                log.warning("kiosk setting %s = %r ignored: %s", f.name, raw, exc)
    return KioskSettings(**values)


def _convert(name: str, raw: str) -> Any:
    default = getattr(KioskSettings, name)
    if isinstance(default, bool):
        low = raw.lower()
        if low in ("1", "on", "yes", "true"):
            return True
        if low in ("0", "off", "no", "false"):
            return False
        raise ValueError("expected on or off")
    if isinstance(default, int):
        n = int(raw)
        if n < 1:
            raise ValueError("must be at least 1")
        return n
    if isinstance(default, float):
        x = float(raw)
        if name == "type_scale" and not 0.5 <= x <= 4.0:
            raise ValueError("must be between 0.5 and 4")
        if x <= 0:
            raise ValueError("must be positive")
        return x
    if name == "pin" and not (raw.isdigit() and 4 <= len(raw) <= 12):
        raise ValueError("a PIN is 4 to 12 digits")
    if name == "language" and raw not in LANGUAGES:
        raise ValueError(f"one of {', '.join(LANGUAGES)}")
    return raw


class Labels:
    """The kiosk's own strings in one language, English where a translation lacks one."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"
        self._strings: dict[str, Any] = _read_labels("en")
        if self.language != "en":
            self._strings.update(_read_labels(self.language))

    def __getitem__(self, key: str) -> str:
        value = self._strings.get(key, key)
        return value if isinstance(value, str) else key

    def format(self, key: str, **values: object) -> str:
        return self[key].format(**values)

    def date(self, earliest: int, latest: int, precision: str) -> str:
        """A date for a caption, in the kiosk's language ("30 March 1918", "March 1918")."""
        a, b = dt.date.fromordinal(earliest), dt.date.fromordinal(latest)
        first = self._one_date(a, precision)
        last = self._one_date(b, precision)
        return first if first == last else f"{first} – {last}"

    def _one_date(self, d: dt.date, precision: str) -> str:
        months = self._strings.get("months") or []
        months_of = self._strings.get("months_of") or months
        month = months[d.month - 1] if len(months) == 12 else str(d.month)
        month_of = months_of[d.month - 1] if len(months_of) == 12 else month
        key = {"day": "date_day", "year": "date_year"}.get(precision, "date_month")
        return self[key].format(d=d.day, month=month, month_of=month_of, y=d.year)


def _read_labels(language: str) -> dict[str, Any]:
    path = resource_path("kiosk", "labels", f"{language}.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cannot read kiosk labels %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}
