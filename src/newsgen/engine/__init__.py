"""The build engine: the session, planning (`plan/`), the caches (`cache/`), the output folder (`output/`), images and search."""

from newsgen.engine.run import build
from newsgen.engine.session import BuildSession
from newsgen.options import BuildOptions, BuildResult, build_now

__all__ = ["BuildOptions", "BuildResult", "BuildSession", "build", "build_now"]
