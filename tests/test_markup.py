from newsgen.markup import BodyRenderer, ResolvedImage
from newsgen.models import Caption


def render(text: str, captions: dict[str, Caption] | None = None):  # type: ignore[no-untyped-def]
    return BodyRenderer().render(text, captions or {}, lambda src: ResolvedImage(src, 800, 450))


def test_captioned_image_alone_in_a_paragraph_becomes_a_figure() -> None:
    body = render("Intro.\n\n![Boats at dawn](/images/boats.jpg)\n", {"/images/boats.jpg": Caption("Boats <b>", "Ana Ruiz")})
    assert (
        '<figure><img alt="Boats at dawn" height="450" loading="lazy" src="/images/boats.jpg" width="800">'
        '<figcaption>Boats &lt;b&gt; <span class="credit">Ana Ruiz</span></figcaption></figure>'
    ) in body.html
    assert "<p><img" not in body.html


def test_uncaptioned_image_stays_inline() -> None:
    body = render("![A pier](/images/pier.jpg)\n")
    assert body.html.startswith("<p><img") and "<figure>" not in body.html


def test_tables_footnotes_attr_list_and_fenced_code() -> None:
    body = render("| a | b |\n|---|---|\n| 1 | 2 |\n\nSee[^1].\n\n[^1]: Note.\n\n## Subhead {#sub}\n\n```\ncode\n```\n")
    assert "<table>" in body.html and 'class="footnote"' in body.html
    assert '<h2 id="sub">Subhead</h2>' in body.html and "<pre><code>code" in body.html


def test_script_and_javascript_links_never_reach_the_page() -> None:
    body = render('Hi <script>alert(1)</script> <a href="javascript:alert(2)" onclick="x()">raw</a>\n\n[md](javascript:alert(3))\n')
    assert "<script" not in body.html and "alert" not in body.html and "onclick" not in body.html
    assert [issue.line for issue in body.issues] == [3]
    assert "javascript:" in body.issues[0].message


def test_image_without_alt_is_an_error_on_its_line() -> None:
    body = render("One.\n\nTwo.\n\n![](/images/x.jpg)\n")
    assert [(issue.line, issue.code) for issue in body.issues] == [(5, "image-alt")]
    assert "alt text" in body.issues[0].message


def test_renderer_is_reusable_without_leaking_state() -> None:
    renderer = BodyRenderer()
    resolve = lambda src: ResolvedImage(src)
    first = renderer.render("A[^1].\n\n[^1]: one\n\n![x](/a.jpg)", {"/a.jpg": Caption("cap", None)}, resolve)
    second = renderer.render("B\n\n![x](/a.jpg)", {}, resolve)
    assert "figure" in first.html and "figure" not in second.html and "footnote" not in second.html
