"""Where the default theme's `templates/` and `static/` are, and the publishing workflow `newsgen init` writes.

An installed wheel carries them in `newsgen/theme/`; a source checkout (and an
editable install) uses the repository root, which is itself the sample site.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "theme"
_CHECKOUT = Path(__file__).resolve().parents[2]


def theme_dir() -> Path:
    return _PACKAGED if (_PACKAGED / "templates").is_dir() else _CHECKOUT


def publish_workflow() -> Path:
    """The GitHub Actions workflow that checks, builds and publishes a site (`.github/workflows/publish.yml`)."""
    packaged = _PACKAGED / "workflows" / "publish.yml"
    return packaged if packaged.is_file() else _CHECKOUT / ".github" / "workflows" / "publish.yml"
