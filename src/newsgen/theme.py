"""Where the default theme's `templates/` and `static/` are, and the site workflows `newsgen init` writes.

An installed wheel carries them in `newsgen/theme/`; a source checkout (and an
editable install) uses the repository root, which is itself the sample site.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "theme"
_CHECKOUT = Path(__file__).resolve().parents[2]


def theme_dir() -> Path:
    return _PACKAGED if (_PACKAGED / "templates").is_dir() else _CHECKOUT


# The GitHub Actions workflows of a site, by file name in `.github/workflows/`: publish.yml checks, builds and
# publishes main (on every push and on schedule); preview.yml checks and previews every pull request. Two files, not
# one: they differ in trigger, token permissions and concurrency, and the one pull requests run saves no cache.
SITE_WORKFLOWS = ("publish.yml", "preview.yml")


def site_workflow(name: str) -> Path:
    """One of `SITE_WORKFLOWS`: from the wheel, or from a checkout's `.github/workflows/`."""
    packaged = _PACKAGED / "workflows" / name
    return packaged if packaged.is_file() else _CHECKOUT / ".github" / "workflows" / name
