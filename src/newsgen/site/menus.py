"""The header and footer menus: the standalone pages that ask for a place in one, by their order, then title."""

from __future__ import annotations

from collections.abc import Iterable

from newsgen.models import MENUS, MenuEntry, StandalonePage


def menu_entries(pages: Iterable[StandalonePage]) -> tuple[MenuEntry, ...]:
    """Every menu link, in menu order; the URL breaks ties, so the order never depends on the file system."""
    entries = (MenuEntry(page.menu, page.menu_order, page.title, page.url) for page in pages if page.menu)
    return tuple(sorted(entries, key=lambda entry: (MENUS.index(entry.menu), entry.order, entry.title, entry.url)))


def by_menu(entries: Iterable[MenuEntry]) -> dict[str, tuple[MenuEntry, ...]]:
    """`{"header": (...), "footer": (...)}`, as templates read them; a menu without pages is empty."""
    listed = tuple(entries)
    return {menu: tuple(entry for entry in listed if entry.menu == menu) for menu in MENUS}
