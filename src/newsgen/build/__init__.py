"""Builds: the session, planning (the quick way or the whole way), the one render-and-commit loop, the writer, the caches."""

from newsgen.build.run import build
from newsgen.build.session import BuildSession
from newsgen.options import BuildOptions, BuildResult, build_now

__all__ = ["BuildOptions", "BuildResult", "BuildSession", "build", "build_now"]
