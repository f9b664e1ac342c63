"""MkDocs hook: the reference pages, made at build time from newsgen's own tables of keys, options and filters.

What newsgen reads comes from the code (the key tuples of `read/keys.py`,
`read/page.py`, `read/authors.py`, `config.py` and `editions.py`, the
defaults of `SiteConfig`, the argparse parsers of `cli.py`, the filters and
globals `render/environment.py` registers, the variables the templates read
and the context `render/renderer.py` passes them); what each thing means comes
from `docs/reference/descriptions.yaml`. A key the code reads without a
description, or a description of a key it no longer reads, is a warning,
which `mkdocs build --strict` turns into a failed build; tests/test_docs_reference.py
checks the same without building.

Nothing generated is committed: `on_files` adds the four pages as generated files.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import inspect
import io
import logging
import re
import tokenize
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml
from jinja2 import meta, nodes

from newsgen import cli, editions, models
from newsgen import config as siteconfig
from newsgen.read import authors, keys, page
from newsgen.read.access import ACCESS
from newsgen.read.labels import BUILT_IN_LABELS
from newsgen.render import environment, renderer

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

DOCS_DIR = Path(__file__).resolve().parents[1]
DESCRIPTIONS = DOCS_DIR / "reference" / "descriptions.yaml"
log = logging.getLogger("mkdocs.hooks.reference")

# ---------------------------------------------------------------------------------------------------------------
# What the code reads, as dotted names: `image.src`, `comments[].replies`, `labels.<key>.name`, `build --jobs`.
# ---------------------------------------------------------------------------------------------------------------

_LISTS = frozenset({"sources", "related", "corrections", "comments"})  # lists of mappings, the rest mappings
_KEYED = frozenset({"captions"})  # a mapping of entries, each keyed by the body image's src


def nested_name(parent: str, child: str) -> str:
    if parent in _LISTS:
        return f"{parent}[].{child}"
    if parent in _KEYED:
        return f"{parent}.<src>.{child}"
    return f"{parent}.{child}"


def article_keys() -> list[str]:
    """Every key an article's front matter may carry, nested ones after their parent."""
    found: list[str] = []
    for key in keys.KNOWN_KEYS:
        found.append(key)
        found += [nested_name(key, child) for child in keys.NESTED_KEYS.get(key, ())]
    return found


def alias_keys() -> list[str]:
    """Other generators' names newsgen reads: renamed (`keys.ALIASES`) or translated (`keys.TRANSLATED`)."""
    return [*keys.ALIASES, *(key for key in keys.TRANSLATED if key not in keys.ALIASES)]


def page_keys() -> list[str]:
    return list(page.PAGE_KEYS)


def author_fields() -> dict[str, tuple[str, ...]]:
    """An authors-file field by its first name, with the other names that give it (first found wins)."""
    groups = (authors.ID_KEYS, authors.NAME_KEYS, authors.ROLE_KEYS, authors.BIO_KEYS, authors.PHOTO_KEYS)
    return {group[0]: group for group in groups}


def author_keys() -> list[str]:
    """The authors file's fields described in descriptions.yaml; the link keys describe themselves (see below)."""
    return [*author_fields(), "links"]


def config_keys() -> list[str]:
    """Every `newsgen.yaml` key, nested ones after their parent."""
    found: list[str] = []
    for key in siteconfig.CONFIG_KEYS:
        found.append(key)
        if key == "permalinks":
            found += [f"permalinks.{kind}" for kind in siteconfig.DEFAULT_PERMALINKS]
        elif key == "labels":
            found += [f"labels.<key>.{child}" for child in siteconfig.NESTED_CONFIG_KEYS["labels"]]
        elif key == "languages":
            found += [f"languages.<code>.{child}" for child in editions.EDITION_KEYS]
        else:
            found += [f"{key}.{child}" for child in siteconfig.NESTED_CONFIG_KEYS.get(key, ())]
    return found


def config_defaults() -> dict[str, Any]:
    """Defaults as the code has them: `SiteConfig()`'s, by the key newsgen.yaml names them with."""
    defaults = siteconfig.SiteConfig()
    field_of = {"markdown": None, "front_matter": None, "languages": None, "images": None}
    found: dict[str, Any] = {}
    for key in siteconfig.CONFIG_KEYS:
        name = field_of.get(key, key)
        if name is not None and hasattr(defaults, name):
            found[key] = getattr(defaults, name)
    found["markdown.engine"] = defaults.markdown_engine
    for name in siteconfig.NESTED_CONFIG_KEYS["images"]:
        found[f"images.{name}"] = getattr(defaults.images, name)
    for kind, pattern in siteconfig.DEFAULT_PERMALINKS.items():
        found[f"permalinks.{kind}"] = pattern
    del found["permalinks"], found["labels"]  # shown key by key, and as the labels table
    return found


def config_choices() -> dict[str, tuple[str, ...]]:
    """The values a key may take, where the code keeps them in a table."""
    from newsgen.body.markup import ENGINES
    from newsgen.body.renditions import MODERN_FORMATS
    from newsgen.urls import SLUG_STYLES

    return {
        "pagination": siteconfig.PAGINATION_SCHEMES,
        "latest_rail": siteconfig.LATEST_RAILS,
        "slugs": tuple(SLUG_STYLES),
        "markdown.engine": tuple(ENGINES),
        "images.formats": tuple(MODERN_FORMATS),
    }


def article_choices() -> dict[str, tuple[str, ...]]:
    return {"access": ACCESS, "label": tuple(BUILT_IN_LABELS)}


@dataclasses.dataclass(frozen=True)
class Option:
    """One argument of one command, as argparse has it."""

    command: str  # "" for the program's own options
    names: tuple[str, ...]  # ("--output",), or ("headline",) for a positional
    metavar: str | None
    help: str | None
    default: Any
    takes_value: bool
    choices: tuple[str, ...] | None

    @property
    def key(self) -> str:
        name = self.names[-1] if self.names[-1].startswith("--") else self.names[0]
        return f"{self.command} {name}".strip()


def cli_commands() -> dict[str, tuple[str | None, argparse.ArgumentParser]]:
    """Each subcommand's help and parser, in the order `cli.make_parser` adds them."""
    parser = cli.make_parser()
    sub = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in sub._choices_actions}
    return {"": (parser.description, parser), **{name: (helps.get(name), p) for name, p in sub.choices.items()}}


def cli_options() -> list[Option]:
    found: list[Option] = []
    for command, (_, parser) in cli_commands().items():
        for action in parser._actions:
            if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
                continue
            names = tuple(action.option_strings) or (action.dest,)
            found.append(
                Option(
                    command,
                    names,
                    action.metavar if isinstance(action.metavar, str) else None,
                    action.help,
                    action.default,
                    action.nargs != 0,
                    tuple(str(choice) for choice in action.choices) if action.choices else None,
                )
            )
    return found


def exit_statuses() -> dict[str, int]:
    return {name: value for name, value in vars(cli).items() if name.startswith("EXIT_") and isinstance(value, int)}


def make_env() -> jinja2.Environment:
    from newsgen.theme import theme_dir

    return environment.make_environment([theme_dir() / "templates"], siteconfig.SiteConfig())


def template_filters(env: jinja2.Environment) -> dict[str, Callable[..., Any]]:
    """The filters newsgen registers (its own, and Jinja's it replaces: `count`)."""
    from jinja2.filters import FILTERS

    return {name: f for name, f in sorted(env.filters.items()) if FILTERS.get(name) is not f}


def template_globals(env: jinja2.Environment) -> list[str]:
    """The functions every template can call that a plain Jinja environment lacks."""
    plain = jinja2.Environment().globals
    return sorted(name for name, value in env.globals.items() if value is not None and name not in plain)


def filter_usage(name: str, function: Callable[..., Any]) -> str:
    """`count | plural(one, many)`, from the filter's own signature (a page's context, when it takes one, left out)."""
    try:
        params = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return f"value | {name}"
    if getattr(function, "jinja_pass_arg", None) is not None:
        params = params[1:]
    if not params:
        return f"value | {name}"
    value, *args = params
    return f"{value} | {name}" + (f"({', '.join(args)})" if args else "")


def templates(env: jinja2.Environment) -> list[str]:
    return sorted(env.list_templates(extensions=["html", "xml", "txt"]))


def template_variables(env: jinja2.Environment, name: str) -> list[str]:
    """The variables a template reads from its context: what it names but never sets, imports or defines."""
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    tree = env.parse(source)
    local: set[str] = set()
    for node in tree.find_all((nodes.Name, nodes.Macro, nodes.FromImport, nodes.Import)):
        if isinstance(node, nodes.Name) and node.ctx in ("store", "param"):
            local.add(node.name)
        elif isinstance(node, nodes.Macro):
            local.add(node.name)
            local.update(arg.name for arg in node.args)
        elif isinstance(node, nodes.FromImport):
            local.update(item if isinstance(item, str) else item[1] for item in node.names)
        elif isinstance(node, nodes.Import):
            local.add(node.target)
    names = meta.find_undeclared_variables(tree) - local - set(env.globals)
    return sorted(name for name in names if not name.startswith("_"))  # `_trans`: the i18n extension's own


def template_references(env: jinja2.Environment, name: str) -> list[str]:
    source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
    return sorted({ref for ref in meta.find_referenced_templates(env.parse(source)) if ref})


def template_context() -> tuple[list[str], dict[str, list[str]]]:
    """What `render/renderer.py` passes: the variables every page gets, and each template's own, read from its code.

    Every page gets the edition's common variables (`PageRenderer.__init__`, `_versions_context`); each render
    function passes its template a dict literal (`r.html("article.html", {...})`, or a `context = {...}` it names).
    """
    tree = ast.parse(inspect.getsource(renderer))
    common: list[str] = []
    own: dict[str, list[str]] = {}
    for function in (node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)):
        assigned = {
            target.id: node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        if function.name in ("__init__", "_versions_context"):
            for node in ast.walk(function):
                if isinstance(node, ast.DictComp) and isinstance(node.value, ast.Dict):
                    common += _dict_keys(node.value)
                elif isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
                    common += _dict_keys(node.value)
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "html"):
                continue
            if len(node.args) != 2 or not isinstance(node.args[0], ast.Constant):
                continue
            context = node.args[1]
            if isinstance(context, ast.Name):
                context = assigned.get(context.id, context)
            if not isinstance(context, ast.Dict) or None in context.keys:  # `{**other}` names no keys to list
                raise RuntimeError(f"render/renderer.py: {function.name} passes a context this hook cannot read")
            own[str(node.args[0].value)] = _dict_keys(context)
    if not common or not own:
        raise RuntimeError("render/renderer.py no longer passes templates their context as this hook reads it")
    return list(dict.fromkeys(common)), own


def _dict_keys(node: ast.Dict) -> list[str]:
    return [key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)]


def template_variable_names(env: jinja2.Environment) -> list[str]:
    """Every variable a template receives or reads."""
    common, own = template_context()
    found = [*common, *(name for names in own.values() for name in names)]
    found += [name for template in templates(env) for name in template_variables(env, template)]
    return sorted(set(found))


# The paragraphs that open the pages and their sections (descriptions.yaml's `intro`), by the page that prints each.
INTRO_PARAGRAPHS = {
    "front_matter": "front-matter",
    "articles": "front-matter",
    "aliases": "front-matter",
    "ignored": "front-matter",
    "pages": "front-matter",
    "authors": "front-matter",
    "config": "configuration",
    "cli": "cli",
    "exit_statuses": "cli",
    "templates": "templates",
    "common": "templates",
    "files": "templates",
    "filters": "templates",
    "globals": "templates",
    "objects": "templates",
}


def code_tables() -> dict[str, list[str]]:
    """Everything that needs a description, by section of descriptions.yaml."""
    env = make_env()
    options = cli_options()
    return {
        "front_matter": article_keys(),
        "aliases": alias_keys(),
        "pages": page_keys(),
        "authors": author_keys(),
        "config": config_keys(),
        "commands": [command for command in cli_commands() if command],
        "options": [option.key for option in options if not option.help],
        "exit_statuses": list(exit_statuses()),
        "templates": templates(env),
        "variables": template_variable_names(env),
        "filters": list(template_filters(env)),
        "globals": template_globals(env),
        "intro": list(INTRO_PARAGRAPHS),
    }


# ---------------------------------------------------------------------------------------------------------------
# Descriptions, and what is missing from them.
# ---------------------------------------------------------------------------------------------------------------


def load_descriptions(path: Path = DESCRIPTIONS) -> dict[str, dict[str, dict[str, Any]]]:
    """descriptions.yaml: section -> key -> {text, and maybe type, required, default, usage, ...}; a plain string is
    the text."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for section, entries in data.items():
        found[str(section)] = {
            str(key): (entry if isinstance(entry, dict) else {"text": entry}) for key, entry in (entries or {}).items()
        }
    return found


def text_of(entry: Mapping[str, Any] | None) -> str:
    text = entry.get("text") if entry else None
    return " ".join(str(text).split()) if text else ""


def undocumented(tables: Mapping[str, list[str]], described: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """`section: key` for each key the code reads that has no description with text."""
    return [
        f"{section}: {key}"
        for section, names in tables.items()
        for key in names
        if not text_of(described.get(section, {}).get(key))
    ]


def dead(tables: Mapping[str, list[str]], described: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """`section: key` for each description of something the code no longer has (or a section it never had)."""
    known = {section: set(names) for section, names in tables.items()}
    known["options"] = {option.key for option in cli_options()}
    known["objects"] = {name for name in described.get("objects", {}) if model_class(name) is not None}
    found = []
    for section, entries in described.items():
        if section not in known:
            found.append(f"{section}: (the whole section; the code has no such table)")
            continue
        found += [f"{section}: {key}" for key in entries if key not in known[section]]
    return found


# ---------------------------------------------------------------------------------------------------------------
# The pages.
# ---------------------------------------------------------------------------------------------------------------

_GENERATED = "<!-- Generated by docs/hooks/reference.py from newsgen's code and docs/reference/descriptions.yaml. -->"


def cell(text: str) -> str:
    """Text for a Markdown table cell: one line, a `|` outside code escaped (in code the table extension keeps it)."""
    parts = " ".join(text.split()).split("`")
    return "`".join(part if index % 2 else part.replace("|", "\\|") for index, part in enumerate(parts))


def code(value: Any) -> str:
    """A value as newsgen.yaml or front matter writes it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str):
        return f"`{value}`" if value else "empty"
    if isinstance(value, (tuple, list)):
        if not value:
            return "none"
        return "`[" + ", ".join(str(item) for item in value) + "]`"
    if hasattr(value, "key") and isinstance(value.key, str):  # a ZoneInfo
        return f"`{value.key}`"
    if isinstance(value, Mapping):
        return "none" if not value else "`{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}`"
    return f"`{value}`"


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return [*lines, ""]


def _heading_key(key: str) -> str:
    return f"`{key}`"


def _alias_index() -> dict[str, list[str]]:
    """newsgen key -> the other generators' names that give it."""
    index: dict[str, list[str]] = {}
    for alias, target in keys.ALIASES.items():
        index.setdefault(target, []).append(alias)
    return index


def front_matter_page(described: Mapping[str, Mapping[str, Any]]) -> str:
    entries = described.get("front_matter", {})
    intro = described.get("intro", {})
    aliases, choices = _alias_index(), article_choices()
    out = [_GENERATED, "", "# Front matter", "", text_of(intro.get("front_matter")), ""]
    out += ["## Articles", "", text_of(intro.get("articles")), ""]
    summary_rows = []
    for key in keys.KNOWN_KEYS:
        entry = entries.get(key, {})
        required = "required" if entry.get("required") else ""
        summary_rows.append([f"[`{key}`](#{_anchor(key)})", entry.get("type", ""), required])
    out += _table(["key", "type", "required"], summary_rows)
    for key in keys.KNOWN_KEYS:
        entry = entries.get(key, {})
        out += [f"### {_heading_key(key)}", ""]
        facts = [f"**Type:** {entry.get('type', 'see below')}"]
        if entry.get("required"):
            facts.append("**required**")
        if key in aliases:
            facts.append("**Also read as:** " + ", ".join(f"`{alias}`" for alias in aliases[key]))
        if key in choices:
            facts.append("**Values:** " + ", ".join(f"`{value}`" for value in choices[key]))
        out += ["; ".join(facts) + ".", "", text_of(entry), ""]
        nested = keys.NESTED_KEYS.get(key, ())
        if nested:
            rows = []
            for child in nested:
                name = nested_name(key, child)
                sub = entries.get(name, {})
                rows.append([f"`{name}`", sub.get("type", ""), "required" if sub.get("required") else "", text_of(sub)])
            out += _table(["key", "type", "required", "meaning"], rows)
    out += ["## Other generators' keys", "", text_of(intro.get("aliases")), ""]
    alias_entries = described.get("aliases", {})
    rows = []
    for alias in alias_keys():
        target = keys.ALIASES.get(alias)
        rows.append([f"`{alias}`", f"`{target}`" if target else "translated", text_of(alias_entries.get(alias))])
    out += _table(["key", "read as", "meaning"], rows)
    out += [text_of(intro.get("ignored")), "", ", ".join(f"`{key}`" for key in keys.IGNORED) + ".", ""]
    out += ["## Standalone pages", "", text_of(intro.get("pages")), ""]
    page_entries = described.get("pages", {})
    out += _table(
        ["key", "type", "required", "meaning"],
        (
            [
                f"`{key}`",
                page_entries.get(key, {}).get("type", ""),
                "required" if page_entries.get(key, {}).get("required") else "",
                text_of(page_entries.get(key)),
            ]
            for key in page.PAGE_KEYS
        ),
    )
    out += ["## The authors file", "", text_of(intro.get("authors")), ""]
    author_entries = described.get("authors", {})
    rows = [
        [f"`{first}`", ", ".join(f"`{name}`" for name in names[1:]), text_of(author_entries.get(first))]
        for first, names in author_fields().items()
    ]
    rows.append(["`links`", "", text_of(author_entries.get("links"))])
    for key, label, pattern in authors.LINK_KEYS:
        handle = (
            "" if pattern == "{}" else f"; without a scheme, `name` (or `@name`) becomes `{pattern.format('name')}`"
        )
        rows.append([f"`{key}`", "", f"A link labelled “{label}”{handle}."])
    out += _table(["field", "also read as", "meaning"], rows)
    return "\n".join(out)


def _anchor(key: str) -> str:
    """The id MkDocs' toc gives a heading holding just `key` in code."""
    return re.sub(r"[^\w\- ]", "", key).strip().lower().replace(" ", "-")


def configuration_page(described: Mapping[str, Mapping[str, Any]]) -> str:
    entries = described.get("config", {})
    intro = described.get("intro", {})
    defaults, choices = config_defaults(), config_choices()
    out = [_GENERATED, "", "# Configuration: `newsgen.yaml`", "", text_of(intro.get("config")), ""]
    rows = [
        [f"[`{key}`](#{_anchor(key)})", entries.get(key, {}).get("type", ""), _default(key, defaults, entries)]
        for key in siteconfig.CONFIG_KEYS
    ]
    out += _table(["key", "type", "default"], rows)
    nested = [key for key in config_keys() if key not in siteconfig.CONFIG_KEYS]
    for key in siteconfig.CONFIG_KEYS:
        entry = entries.get(key, {})
        out += [f"## {_heading_key(key)}", ""]
        facts = [f"**Type:** {entry.get('type', 'see below')}", f"**Default:** {_default(key, defaults, entries)}"]
        if key in choices:
            facts.append("**Values:** " + ", ".join(f"`{value}`" for value in choices[key]))
        out += ["; ".join(facts) + ".", "", text_of(entry), ""]
        if key == "labels":
            out += ["The built-in labels:", ""]
            out += _table(["key", "name readers see"], ([f"`{k}`", v] for k, v in BUILT_IN_LABELS.items()))
        children = [name for name in nested if name.split(".")[0] == key]
        if children:
            rows = []
            for name in children:
                sub = entries.get(name, {})
                default = _default(name, defaults, entries)
                if name in choices:
                    default += "; from " + ", ".join(f"`{value}`" for value in choices[name])
                rows.append([f"`{name}`", sub.get("type", ""), default, text_of(sub)])
            out += _table(["key", "type", "default", "meaning"], rows)
    return "\n".join(out)


def _default(key: str, defaults: Mapping[str, Any], entries: Mapping[str, Mapping[str, Any]]) -> str:
    if key in defaults:
        return code(defaults[key])
    return str(entries.get(key, {}).get("default", "none"))


def cli_page(described: Mapping[str, Mapping[str, Any]]) -> str:
    intro = described.get("intro", {})
    commands, options = cli_commands(), cli_options()
    extra = described.get("options", {})
    out = [_GENERATED, "", "# Command line", "", text_of(intro.get("cli")), ""]
    for command, (help_text, parser) in commands.items():
        title = f"`newsgen {command}`" if command else "`newsgen`"
        out += [f"## {title}", ""]
        text = help_text if command else parser.description
        more = text_of(described.get("commands", {}).get(command))
        out += [" ".join(part for part in (_sentence(text), more) if part), ""]
        usage = " ".join(parser.format_usage().split())
        out += ["```text", usage.removeprefix("usage: "), "```", ""]
        rows = []
        for option in (o for o in options if o.command == command):
            name = ", ".join(f"`{n}`" for n in option.names)
            if option.metavar and option.names[0].startswith("-"):
                name += f" `{option.metavar}`"
            default, meaning = _option_help(option)
            meaning = " ".join(part for part in (meaning, text_of(extra.get(option.key))) if part)
            rows.append([name, default, meaning])
        if rows:
            out += _table(["argument", "default", "meaning"], rows)
    out += ["## Exit status", "", text_of(intro.get("exit_statuses")), ""]
    statuses = described.get("exit_statuses", {})
    out += _table(
        ["status", "meaning"], ([str(value), text_of(statuses.get(name))] for name, value in exit_statuses().items())
    )
    return "\n".join(out)


def _sentence(text: str | None) -> str:
    """Help text as a sentence: a capital when it starts with a plain word, a full stop."""
    if not text:
        return ""
    text = text.replace("%%", "%").strip()
    first = text.split()[0]
    if first.isalpha() and first.islower():
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


_HELP_DEFAULT = re.compile(r"\s*\(default: ([^()]*)\)")


def _option_help(option: Option) -> tuple[str, str]:
    """(default, meaning): the default as the help states it (it may depend on the machine: `--jobs`), else argparse's,
    and the help without it."""
    text = option.help or ""
    stated = _HELP_DEFAULT.search(text)
    if stated:
        default = stated.group(1)
        default = f"`{default}`" if " " not in default or default.startswith(".") else default
        text = _HELP_DEFAULT.sub("", text, count=1)
    elif not option.takes_value or option.default is None or option.default is argparse.SUPPRESS:
        default = ""
    else:
        default = code(str(option.default))
    if option.choices:
        text += "; one of " + ", ".join(f"`{choice}`" for choice in option.choices)
    return default, _sentence(text)


def templates_page(described: Mapping[str, Mapping[str, Any]]) -> str:
    intro = described.get("intro", {})
    env = make_env()
    common, own = template_context()
    variables = described.get("variables", {})
    out = [_GENERATED, "", "# Templates", "", text_of(intro.get("templates")), ""]
    out += ["## What every page receives", "", text_of(intro.get("common")), ""]
    out += _table(["variable", "meaning"], ([f"`{name}`", _variable_text(name, variables)] for name in common))
    out += ["## Template files", "", text_of(intro.get("files")), ""]
    template_entries = described.get("templates", {})
    for name in templates(env):
        out += [f"### `{name}`", "", text_of(template_entries.get(name)), ""]
        refs = template_references(env, name)
        if refs:
            out += ["Uses: " + ", ".join(f"`{ref}`" for ref in refs) + ".", ""]
        if name in own:
            out += ["Receives, besides what every page receives (a name given again here replaces it):", ""]
            out += _table(["variable", "meaning"], ([f"`{v}`", _variable_text(v, variables)] for v in own[name]))
        reads = template_variables(env, name)
        if reads:
            out += ["Reads: " + ", ".join(f"`{variable}`" for variable in reads) + ".", ""]
    out += ["## Filters", "", text_of(intro.get("filters")), ""]
    filter_entries = described.get("filters", {})
    out += _table(
        ["filter", "usage", "meaning"],
        (
            [f"`{name}`", f"`{filter_usage(name, function)}`", text_of(filter_entries.get(name))]
            for name, function in template_filters(env).items()
        ),
    )
    out += ["## Functions", "", text_of(intro.get("globals")), ""]
    global_entries = described.get("globals", {})
    out += _table(
        ["function", "usage", "meaning"],
        (
            [
                f"`{name}`",
                f"`{global_entries.get(name, {}).get('usage', name + '()')}`",
                text_of(global_entries.get(name)),
            ]
            for name in template_globals(env)
        ),
    )
    out += ["## Objects", "", text_of(intro.get("objects")), ""]
    for model in _models(described):
        text = text_of(described.get("objects", {}).get(model.__name__))
        out += [f"### `{model.__name__}`", "", text, ""]
        out += _table(
            ["attribute", "type", "meaning"],
            ([f"`{name}`", f"`{kind}`", _sentence(text)] for name, kind, text in _attributes(model)),
        )
    return "\n".join(out)


def _variable_text(name: str, variables: Mapping[str, Mapping[str, Any]]) -> str:
    entry = variables.get(name, {})
    text = text_of(entry)
    model = entry.get("model")
    return f"{text} ([`{model}`](#{model.lower()}))" if model else text


def model_class(name: str) -> type | None:
    """The dataclass templates see under `name`: one of newsgen.models, render/renderer.py's `Version`, `SiteConfig`."""
    for module in (models, renderer, siteconfig):
        found = getattr(module, name, None)
        if isinstance(found, type) and dataclasses.is_dataclass(found):
            return found
    return None


def _models(described: Mapping[str, Mapping[str, Any]]) -> list[type]:
    """The classes of descriptions.yaml's `objects`, those variables name with `model:` first."""
    names = [str(entry["model"]) for entry in described.get("variables", {}).values() if entry.get("model")]
    names += list(described.get("objects", {}))
    found = []
    for name in dict.fromkeys(names):
        model = model_class(name)
        if model is None:
            raise RuntimeError(f"descriptions.yaml names {name!r}, which is no class templates receive")
        found.append(model)
    return found


def _attributes(model: type) -> list[tuple[str, str, str]]:
    """A dataclass's fields and properties as templates reach them (`article.url`): each name, annotated type, and the
    comment its line carries in the code (a property's docstring)."""
    comments = _field_comments(model)
    found = {
        field.name: (str(field.type), comments.get(field.name, ""))
        for field in dataclasses.fields(model)
        if not field.name.startswith("_")
    }
    for name, value in vars(model).items():
        function = value.fget if isinstance(value, property) else getattr(value, "func", None)
        if name.startswith("_") or function is None or not (isinstance(value, property) or hasattr(value, "attrname")):
            continue
        returned = inspect.signature(function).return_annotation
        kind = returned if isinstance(returned, str) else getattr(returned, "__name__", str(returned))
        found[name] = (kind, (inspect.getdoc(function) or "").split("\n\n")[0])
    return [(name, kind, text) for name, (kind, text) in sorted(found.items())]


def _field_comments(model: type) -> dict[str, str]:
    """`name: type  # comment` lines of a class's source: the comment, by field name."""
    found: dict[str, str] = {}
    try:
        source = inspect.getsource(model)
    except (OSError, TypeError):
        return found
    lines = source.splitlines()
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        line = lines[token.start[0] - 1]
        match = re.match(r"^\s+(\w+): ", line)
        if match and token.start[1] > match.end():
            found[match.group(1)] = token.string.lstrip("# ").strip()
    return found


PAGES: dict[str, Callable[[Mapping[str, Mapping[str, Any]]], str]] = {
    "reference/front-matter.md": front_matter_page,
    "reference/configuration.md": configuration_page,
    "reference/cli.md": cli_page,
    "reference/templates.md": templates_page,
}


def problems(described: Mapping[str, Mapping[str, Any]]) -> list[str]:
    tables = code_tables()
    missing = [f"no description for {item}" for item in undocumented(tables, described)]
    gone = [f"a description of what the code no longer reads: {item}" for item in dead(tables, described)]
    return missing + gone


# ---------------------------------------------------------------------------------------------------------------
# MkDocs.
# ---------------------------------------------------------------------------------------------------------------


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Leave the hook and its data out of the site; add the four reference pages (in place of any file of their name)."""
    from mkdocs.structure.files import File  # mkdocs is the docs extra's; the tests import this module without it

    for file in list(files):
        if file.src_uri.startswith("hooks/") or file.src_uri == "reference/descriptions.yaml":
            files.remove(file)
        elif file.src_uri in PAGES:
            log.warning("reference: docs/%s is generated from the code; the file is left out", file.src_uri)
            files.remove(file)
    described = load_descriptions()
    for problem in problems(described):
        log.warning("reference: %s (docs/reference/descriptions.yaml)", problem)
    for uri, make in PAGES.items():
        page_file = File.generated(config, uri, content=make(described))
        page_file.edit_uri = "reference/descriptions.yaml"  # "edit this page" edits the words, where they live
        files.append(page_file)
    return files
