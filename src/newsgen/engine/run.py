"""`newsgen build`: plan the quick way when the edits since the last build allow it, else the whole way; then the one loop.

Both plans go through `loop.bring_up_to_date`, and both give the bytes of a
clean build. This module imports only what the quick way needs, and the
whole way only when a build takes it: on an edit to a large archive,
importing everything would cost more than the build.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from newsgen.engine.context import BuildContext
from newsgen.engine.output.journal import recover
from newsgen.engine.output.lock import output_lock
from newsgen.engine.output.status import record_build
from newsgen.engine.output.write import check_output_dir
from newsgen.engine.plan.inputs import inputs_digest
from newsgen.engine.plan.loop import bring_up_to_date
from newsgen.engine.plan.quick import quick_plan
from newsgen.engine.session import BuildSession
from newsgen.options import BuildOptions, BuildResult
from newsgen.read.files import CONTENT_DIR, LOCALES_DIR, PAGES_DIR, STATIC_DIR, TEMPLATES_DIR

if TYPE_CHECKING:
    from newsgen.engine.plan.loop import Plan


def build(options: BuildOptions, session: BuildSession | None = None) -> BuildResult:
    """Bring the output folder up to date, recording the outcome beside it for deploy (`status.py`). Raises
    ContentError with every problem found."""
    started = time.perf_counter()
    session = session or BuildSession()
    source = options.source_dir.resolve()
    input_dirs = (CONTENT_DIR, PAGES_DIR, TEMPLATES_DIR, LOCALES_DIR, STATIC_DIR)
    check_output_dir(options.output_dir, source, [source / name for name in input_dirs])
    with output_lock(options.output_dir), session.index(options.output_dir) as index:
        # Failed until it succeeds: a crash, a full disk or a kill never leaves the last build looking current.
        record_build(options.output_dir, ok=False)
        recover(options.output_dir.resolve())  # a killed build's half commit is undone before anything looks
        inputs = inputs_digest(source, options, session.file_digests)
        context = BuildContext(options, session)
        session.file_digests.save()
        plan: Plan | None = None
        if options.full:  # --full trusts nothing it kept: templates compiled afresh, every page rendered and compared
            session.forget_compiled_templates()
        else:
            plan = quick_plan(options, index, session.articles, inputs, context)
        if plan is None:
            from newsgen.engine.plan.whole import whole_plan

            plan = whole_plan(options, session, index, inputs, context)
        outcome = bring_up_to_date(plan, options, index, session.articles)
        record_build(options.output_dir, ok=True)
    seconds = time.perf_counter() - started
    images = plan.images
    return BuildResult(
        plan.articles,
        plan.pages,
        outcome.rendered,
        len(outcome.changed),
        seconds,
        plan.warnings,
        outcome.changed,
        plan.next_change,
        plan.held,
        images_made=images.made if images else 0,
        image_sources=images.sources if images else 0,
        image_seconds=images.seconds if images else 0.0,
    )
