"""The preview: a watcher, a loopback server with live reload, and rebuilds that take the quick way."""

from newsgen.preview.rebuilds import BuildEvent, Preview

__all__ = ["BuildEvent", "Preview"]
