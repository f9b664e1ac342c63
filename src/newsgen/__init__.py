"""newsgen: a static news-site generator."""

from .build import BuildOptions, BuildResult, build
from .errors import ContentError, Problem

__all__ = ["BuildOptions", "BuildResult", "ContentError", "Problem", "build"]
