"""`newsgen build`: the quick way when an edit moves nothing (`quick.py`), else the whole way (`pipeline.py`).

Both give the bytes of a clean build. This module imports only what the quick
way needs and the whole pipeline only when a build takes it: on an edit to a
large archive, importing everything would cost more than the build.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.build.cache import ArticleCache
from newsgen.errors import Severity
from newsgen.read.files import CONTENT_DIR, STATIC_DIR, TEMPLATES_DIR
from newsgen.options import BuildOptions, BuildResult, build_now
from newsgen.build.quick import SiteSetup, inputs_digest, quick_build
from newsgen.build.index import SiteIndex
from newsgen.theme import theme_dir
from newsgen.build.write import Manifest, check_output_dir

if TYPE_CHECKING:
    import jinja2

    from newsgen.config import SiteConfig

__all__ = ["BuildOptions", "BuildResult", "BuildSession", "build", "build_now"]


class BuildSession:
    """What one process reuses from one build to the next, and where builds keep what outlives them.

    Each piece checks its own inputs, so reuse never gives different bytes
    from a fresh build: templates are reloaded when their files change, and
    articles are re-read when anything they depend on changes.
    """

    def __init__(self, cache_dir: Path | None = None, manifests_on_disk: bool = True) -> None:
        self.articles = ArticleCache(cache_dir)
        self._index_dir = cache_dir / "outputs" if cache_dir is not None and manifests_on_disk else None
        self._bytecode_dir = cache_dir / "templates" if cache_dir is not None else None
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._manifests: dict[Path, Manifest] = {}

    def index(self, output_dir: Path) -> SiteIndex | None:
        """The index the last build into `output_dir` left; None for a session that keeps none (the preview)."""
        if self._index_dir is None:
            return None
        return SiteIndex(self._index_dir / f"{hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:24]}.sqlite")

    def manifest(self, output_dir: Path) -> Manifest:
        """What the output folder held after this session's last build into it (sessions without an index)."""
        return self._manifests.get(output_dir.resolve(), {})

    def remember(self, output_dir: Path, manifest: Manifest) -> None:
        self._manifests[output_dir.resolve()] = manifest

    def environment(self, template_dirs: list[Path], config: SiteConfig) -> jinja2.Environment:
        """Compiled templates, recompiled when any template file is added, removed or changed."""
        templates = [(str(path), path.stat().st_mtime_ns) for folder in template_dirs for path in sorted(folder.rglob("*"))]
        key = repr((templates, config))
        if self._environment is None or self._environment[0] != key:
            from newsgen.render.pages import make_environment

            self._environment = (key, make_environment(template_dirs, config, self._bytecode_dir))
        return self._environment[1]


def build(options: BuildOptions, session: BuildSession | None = None) -> BuildResult:
    """The quick way when only articles changed and nothing moved, else the whole way.

    Raises ContentError with every problem found.
    """
    started = time.perf_counter()
    session = session or BuildSession()
    source = options.source_dir.resolve()
    check_output_dir(options.output_dir, source, [source / CONTENT_DIR, source / TEMPLATES_DIR, source / STATIC_DIR])
    index = session.index(options.output_dir)
    try:
        inputs = inputs_digest(source, options) if index is not None else b""
        if index is not None and not options.full:
            quick = quick_build(options, index, session.articles, inputs, lambda: _setup(options, session))
            if quick is not None:
                meta = quick.meta
                seconds = time.perf_counter() - started
                return BuildResult(meta.articles, meta.pages, quick.rendered, len(quick.changed), seconds, quick.warnings,
                                   quick.changed, meta.next_change)  # fmt: skip
        from newsgen.build.whole import whole_build

        return whole_build(options, session, index, inputs, started)
    finally:
        if index is not None:
            index.close()


def _setup(options: BuildOptions, session: BuildSession) -> SiteSetup | None:
    """The config and templates, for the quick way; None when the config has errors (the whole way reports them)."""
    from newsgen.config import load_config

    source = options.source_dir.resolve()
    config, problems = load_config(source)
    if any(problem.severity is Severity.ERROR for problem in problems):
        return None
    return config, session.environment([source / TEMPLATES_DIR, theme_dir() / TEMPLATES_DIR], config)
