"""What one process keeps from one build to the next: the article cache, the site index, file digests, compiled templates."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from newsgen.engine.cache.filedigests import FileDigests
from newsgen.engine.cache.local import ArticleCache
from newsgen.engine.index import SiteIndex
from newsgen.read.files import LOCALES_DIR

if TYPE_CHECKING:
    import jinja2

    from newsgen.config import SiteConfig


class BuildSession:
    """What one process reuses from one build to the next, and where builds keep what outlives them.

    Each piece checks its own inputs, so reuse never gives different bytes
    from a fresh build: templates are reloaded when their files change, and
    articles are re-read when anything they depend on changes. The site index
    lives in the cache folder, or, with `index_on_disk=False` (the preview,
    whose output folder lives only as long as it runs) or no cache folder,
    in memory for as long as the session.
    """

    def __init__(self, cache_dir: Path | None = None, index_on_disk: bool = True) -> None:
        self.articles = ArticleCache(cache_dir)
        self.file_digests = FileDigests(cache_dir / "file-digests.json" if cache_dir is not None else None)
        self._index_dir = cache_dir / "outputs" if cache_dir is not None and index_on_disk else None
        self._bytecode_dir = cache_dir / "templates" if cache_dir is not None else None
        self._environment: tuple[str, jinja2.Environment] | None = None
        self._memory_indexes: dict[Path, SiteIndex] = {}

    @contextmanager
    def index(self, output_dir: Path) -> Iterator[SiteIndex]:
        """The index the last build into `output_dir` left, open for the length of one build."""
        output = output_dir.resolve()
        if self._index_dir is None:
            yield self._memory_indexes.setdefault(output, SiteIndex(None))
            return
        index = SiteIndex(self._index_dir / f"{hashlib.sha256(str(output).encode()).hexdigest()[:24]}.sqlite")
        try:
            yield index
        finally:
            index.close()

    def forget_compiled_templates(self) -> None:
        """Drop the templates compiled in memory and on disk (`newsgen build --full` trusts nothing kept)."""
        self._environment = None
        if self._bytecode_dir is not None:
            shutil.rmtree(self._bytecode_dir, ignore_errors=True)

    def environment(self, template_dirs: list[Path], config: SiteConfig) -> jinja2.Environment:
        """Compiled templates, recompiled when any template file is added, removed or changed; with them the
        catalogs of `locales/` beside each `templates/`, read again when any of them changes."""
        locale_dirs = [folder.parent / LOCALES_DIR for folder in template_dirs]
        files = [
            (str(path), path.stat().st_mtime_ns)
            for folder in [*template_dirs, *locale_dirs]
            for path in sorted(folder.rglob("*"))
        ]
        key = repr((files, config))
        if self._environment is None or self._environment[0] != key:
            from newsgen.render.environment import make_environment
            from newsgen.translate import Catalogs

            environment = make_environment(template_dirs, config, self._bytecode_dir, Catalogs(locale_dirs))
            self._environment = (key, environment)
        return self._environment[1]
