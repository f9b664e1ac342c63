"""All or nothing: an undo journal for bringing the output folder up to date, and recovery after a killed build.

A later build moves its staged files into the output folder one by one.
Before it touches anything it writes, into its staging folder, the list of
what it will replace, add and delete; every file it replaces or deletes is
moved into the staging folder's `.newsgen-undo/` rather than lost. A failure (a full
disk, a folder removed by hand) rolls everything back at once. A killed
build leaves its staging folder behind, journal included, and the next
build (which holds the output folder's lock) rolls it back before it looks
at the folder. So the output folder only ever holds one whole build.

Removing the journal once every file is in place is the build's one commit
point, and it comes before the index is saved: a build killed after it is
never rolled back, so recovery never undoes a build the index records.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from newsgen.errors import naming

# In the staging folder, beside the staged files: names no page can have (write.output_name reserves them).
JOURNAL = ".newsgen-journal.json"
UNDO_FOLDER = ".newsgen-undo"


class UndoJournal:
    """Replaces and deletes files of `output`, keeping what it takes away under `stage/.newsgen-undo/`."""

    def __init__(self, output: Path, stage: Path, replace: Iterable[str], delete: Iterable[str]) -> None:
        self._output, self._stage = output, stage
        self._replace = list(replace)
        self._delete = list(delete)
        entries = [["replace", name, os.path.lexists(output / name)] for name in self._replace]
        entries += [["delete", name, True] for name in self._delete]
        with naming(stage / JOURNAL):
            (stage / JOURNAL).write_text(json.dumps(entries), encoding="utf-8")

    def replace(self, name: str) -> None:
        """Move the staged file into place, the old one (if any) into the undo folder."""
        self._keep(name)
        os.replace(self._stage / name, self._output / name)

    def delete(self, name: str) -> None:
        self._keep(name)

    def roll_back(self) -> None:
        roll_back(self._output, self._stage)

    def commit(self) -> None:
        """The commit point: from here on the output folder holds the new build, and nothing rolls it back."""
        (self._stage / JOURNAL).unlink()

    def _keep(self, name: str) -> None:
        if os.path.lexists(self._output / name):
            kept = self._stage / UNDO_FOLDER / name
            kept.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self._output / name, kept)


def roll_back(output: Path, stage: Path) -> None:
    """Put the output folder back as it was before the commit the journal in `stage` describes."""
    try:
        entries = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no journal: the commit never started, and the output folder was never touched
    for _, name, existed in reversed(entries):
        kept, target = stage / UNDO_FOLDER / name, output / name
        if os.path.lexists(kept):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(kept, target)
        elif not existed and os.path.lexists(target):
            target.unlink()  # a file this commit added
            remove_empty_parents(target, output)
    (stage / JOURNAL).unlink()


def leftovers(output: Path) -> list[Path]:
    """The staging folders beside `output` (`.build.new-*`, `.build.old-*`): while no build runs, a killed build's."""
    return sorted([*output.parent.glob(f".{output.name}.new-*"), *output.parent.glob(f".{output.name}.old-*")])


def recover(output: Path) -> None:
    """Undo what killed builds left half done beside `output`, and remove their staging folders.

    Call only while holding the output folder's lock: another build's staging folder looks the same.
    """
    for leftover in sorted(output.parent.glob(f".{output.name}.old-*")):
        if not output.exists() and (leftover / "build").is_dir():
            os.replace(leftover / "build", output)  # killed between the two renames of a first build's swap
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in sorted(output.parent.glob(f".{output.name}.new-*")):
        roll_back(output, leftover)
        shutil.rmtree(leftover, ignore_errors=True)


def remove_empty_parents(path: Path, root: Path) -> None:
    """Remove the folders above `path` that are left empty, up to `root`; a folder already gone is fine."""
    folder = path.parent
    while folder != root and folder.is_relative_to(root):
        try:
            if any(folder.iterdir()):
                return
            folder.rmdir()
        except FileNotFoundError:
            pass
        folder = folder.parent
