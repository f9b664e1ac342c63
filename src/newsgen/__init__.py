"""newsgen: a static news-site generator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgen.engine import BuildOptions, BuildResult, build
    from newsgen.errors import ContentError, Problem

__all__ = ["BuildOptions", "BuildResult", "ContentError", "Problem", "build"]


def __getattr__(name: str) -> Any:
    """The public names, imported on first use: `import newsgen.read.files` need not import the whole pipeline."""
    if name in ("BuildOptions", "BuildResult", "build"):
        from newsgen import build as build_module

        return getattr(build_module, name)
    if name in ("ContentError", "Problem"):
        from newsgen import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'newsgen' has no attribute {name!r}")
