"""Tables and code blocks in a story can be scrolled by keyboard: focusable, and nothing else touched."""

from __future__ import annotations

from newsgen.render.scrollers import keyboard_scrollable


def test_tables_get_a_focusable_wrapper_and_code_blocks_a_tabindex() -> None:
    html = '<p title="a <table> b">x</p>\n<table><tr><td><pre class="c">y</pre></td></tr></table>\n<pre>z</pre>'
    assert keyboard_scrollable(html) == (
        '<p title="a <table> b">x</p>\n'
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">'
        '<table><tr><td><pre tabindex="0" class="c">y</pre></td></tr></table></div>\n'
        '<pre tabindex="0">z</pre>'
    )


def test_a_body_without_either_is_returned_as_it_is() -> None:
    html = "<p>No <em>tables</em> here, only the word table and &lt;pre&gt;.</p>"
    assert keyboard_scrollable(html) is html
