import xml.etree.ElementTree as etree

import pytest

from newsgen.body.typography import smarten


def smart(html: str) -> str:
    root = etree.fromstring(f"<div>{html}</div>")
    smarten(root)
    return etree.tostring(root, encoding="unicode")[5:-6]


@pytest.mark.parametrize(
    ("written", "typeset"),
    [
        ('He said "hello" today.', "He said \u201chello\u201d today."),
        ("It's the newsroom's call.", "It\u2019s the newsroom\u2019s call."),
        ("She said 'no' twice.", "She said \u2018no\u2019 twice."),
        ('"Quoted" at the start', "\u201cQuoted\u201d at the start"),
        (
            "Wait... then 1990--2000 and a pause --- like this",
            "Wait\u2026 then 1990\u20132000 and a pause \u2014 like this",
        ),
        ('A "<em>styled</em>" word', "A \u201c<em>styled</em>\u201d word"),
        ('Use <code>"raw" -- quotes</code> as "is"', 'Use <code>"raw" -- quotes</code> as \u201cis\u201d'),
        ('("aside")', "(\u201caside\u201d)"),
    ],
)
def test_quotes_dashes_and_ellipses(written: str, typeset: str) -> None:
    assert smart(written) == typeset
