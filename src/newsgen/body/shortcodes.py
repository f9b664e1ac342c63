"""What the template tags with a plain meaning mean, written as Markdown or HTML that newsgen publishes.

`templatesyntax.py` finds the tags; this module reads their arguments and
says what each becomes: Jekyll/Eleventy URL filters a URL, Hugo's built-in
`figure`, `youtube`, `vimeo`, `x`/`tweet` an image, an embed or a link,
Eleventy's common `image` shortcode an image. A link to another article
(`ref`, `post_url`, ...) can only be resolved once every article is read, so
it is written as a `newsgen-ref:` placeholder that `site/refs.py` replaces.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from newsgen.models import Caption

REF_SCHEME = "newsgen-ref"
REF_URL = re.compile(r"newsgen-ref:([A-Za-z0-9_.~/%-]+)")  # what `ref_url` writes: `quote` leaves only these
_ARTICLE_SUFFIXES = {"", ".md", ".markdown", ".mdown", ".mkd"}
_HUGO_ARG = re.compile(
    r'(?:(?P<name>[A-Za-z_][\w-]*)=)?(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`]+))'
)
_QUOTED = re.compile(r'"([^"]*)"|\'([^\']*)\'')
_URL_FILTERED = re.compile(r"""\s*(["'])(?P<value>[^"'\s]*)\1\s*(?:\|\s*(?:url|relative_url|absolute_url)\s*)+""")
_SITE_ROOT = re.compile(r"\s*site\.(?:baseurl|url)\s*")
_VIDEO_ID = re.compile(r"[\w-]+")
_POST_ID = re.compile(r"\d+")
_USER = re.compile(r"\w{1,50}")


@dataclass(frozen=True)
class ShortcodeImage:
    """An image a shortcode names; the body rules check it like a Markdown image and, for `figure`, caption it."""

    src: str
    alt: str | None  # None when the shortcode gives none: the same error as a Markdown image without alt
    width: str | None = None
    height: str | None = None
    link: str | None = None  # the image links there
    caption: Caption | None = None
    credit_link: str | None = None  # the credit links there
    figure: bool = False  # a <figure> even without caption, as Hugo's shortcode always makes


@dataclass(frozen=True)
class HugoArgs:
    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)


def ref_url(path: str) -> str:
    """The placeholder link target for an article named by `path` as the author wrote it."""
    return f"{REF_SCHEME}:{quote(path, safe='/')}"


def ref_path(encoded: str) -> str:
    """The path a placeholder written by `ref_url` names (REF_URL's group)."""
    return unquote(encoded)


def hugo_call(body: str) -> tuple[str, HugoArgs]:
    """A shortcode's name (`/name` for a closing one) and its arguments."""
    body = body.strip().removesuffix("/").strip()  # `{{< name />}}` closes itself
    name, rest = (re.split(r"\s+", body, maxsplit=1) + [""])[:2]
    args = HugoArgs()
    for match in _HUGO_ARG.finditer(rest):
        raw = match["raw"]
        value = raw if raw is not None else match["bare"] if match["bare"] is not None else _unquote(match["quoted"])
        if match["name"]:
            args.named[match["name"].lower()] = value
        else:
            args.positional.append(value)
    return name.strip(), args


def _unquote(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def hugo_figure(args: HugoArgs) -> ShortcodeImage | None:
    """Hugo's `figure`: a captioned image; its title leads the caption, `attr` is the credit."""
    named = {key: html.unescape(value).strip() for key, value in args.named.items()}
    src = named.get("src")
    if not src:
        return None
    title, text = named.get("title"), named.get("caption")
    if title and text:
        text = f"{title} {text}" if title[-1] in ".:!?" else f"{title}. {text}"
    caption = Caption(text or title or None, named.get("attr") or None)
    return ShortcodeImage(
        src=src,
        alt=named.get("alt"),
        width=named.get("width"),
        height=named.get("height"),
        link=named.get("link") or None,
        caption=caption,
        credit_link=named.get("attrlink") or None,
        figure=True,
    )


def hugo_embed(name: str, args: HugoArgs) -> str | None:
    """Hugo's `youtube`, `vimeo`, `x` and `tweet` as HTML; None for every other name or a malformed call."""
    first = args.positional[0] if args.positional else None
    if name in ("youtube", "vimeo"):
        video = args.named.get("id") or first
        if not video or not _VIDEO_ID.fullmatch(video):
            return None
        if name == "youtube":
            src, title = f"https://www.youtube-nocookie.com/embed/{video}", "YouTube video"
        else:
            src, title = f"https://player.vimeo.com/video/{video}", "Vimeo video"
        title = html.escape(args.named.get("title") or title)
        return f'<iframe src="{src}" title="{title}" width="560" height="315" allowfullscreen loading="lazy"></iframe>'
    if name in ("x", "tweet"):
        user = args.named.get("user") or (first if len(args.positional) == 2 else None)
        post = args.named.get("id") or (args.positional[-1] if args.positional else None)
        if not post or not _POST_ID.fullmatch(post) or (user is not None and not _USER.fullmatch(user)):
            return None
        if user:
            return f'<a href="https://x.com/{user}/status/{post}">Post by @{user} on X</a>'
        return f'<a href="https://x.com/i/status/{post}">Post on X</a>'
    return None


def eleventy_image(arguments: str) -> ShortcodeImage | None:
    """Eleventy's common `{% image "src" "alt" %}` (commas between arguments or not): an image with that alt.

    Eleventy resolves the src from the project's root, not the page's folder,
    so a bare `assets/x.jpg` is the site path `/assets/x.jpg`; `./` and `../`
    stay relative to the article.
    """
    values = [match[1] if match[1] is not None else match[2] for match in _QUOTED.finditer(arguments)]
    if not values or not values[0].strip():
        return None
    src = values[0].strip()
    if not src.startswith(("/", "./", "../")) and "://" not in src:
        src = "/" + src
    alt = html.unescape(values[1]).strip() if len(values) > 1 else None
    return ShortcodeImage(src=src, alt=alt or None)


def output_value(expression: str, following: str) -> str | None:
    """The URL a `{{ … }}` stands for when it is only a URL filter on a literal or the site's root; else None.

    `{{ "/x/" | url }}` (Eleventy), `| relative_url`, `| absolute_url` (Jekyll)
    give the path; `{{ site.baseurl }}` and `{{ site.url }}` before a path
    (`following` is the next character) add nothing on a site served from
    its domain's root.
    """
    filtered = _URL_FILTERED.fullmatch(expression)
    if filtered:
        return filtered["value"]
    if _SITE_ROOT.fullmatch(expression):
        if following in ("/", "{"):
            return ""
        if following in ('"', "'", ")"):
            return "/"
    return None


def names_article(path: str) -> bool:
    """Whether a Jekyll `{% link path %}` names a post or page in Markdown (else a file, linked by its path)."""
    return PurePosixPath(path).suffix.lower() in _ARTICLE_SUFFIXES


def fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run in `code`."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def code_language(word: str) -> str:
    """A highlight tag's language as a fence's info string (no spaces, no backticks)."""
    return re.sub(r"[^\w+#.-]", "", word)
