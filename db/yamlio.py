"""Reading YAML: the C parser (libyaml, shipped in PyYAML's wheels) when present, safe either way.

The curated catalogue and gazetteer are parsed on every build; the pure-Python
parser took a fifth of the default build's time.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(source: str | IO[str]) -> Any:
    """Parse YAML text (or a text stream) with the safe loader."""
    return yaml.load(source, Loader=SAFE_LOADER)
