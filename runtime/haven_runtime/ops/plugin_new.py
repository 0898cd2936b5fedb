"""``haven plugin new <name>``: start a new organisation plugin from the template.

The template (``templates/plugin/`` in the Haven repository, or the directory named by
``--template`` / ``HAVEN_PLUGIN_TEMPLATE``) is a complete plugin whose names are written
as placeholders. Copying it substitutes them in file contents and in path names:

* ``{{name}}`` — the plugin name and entry-point name (``my-borough``);
* ``{{module}}`` — the import package suffix (``my_borough`` → ``haven_my_borough``);
* ``{{org}}`` — the organisation id the plugin serves (default: the plugin name);
* ``{{title}}`` — the organisation's display name.

The result installs as ``haven-<name>`` with an entry point in the ``haven`` group, ships a
test that loads it through :class:`~haven_runtime.plugins.HavenPluginManager` and checks its
hooks, and a README saying how to install it and choose it in a deployment.

Created inside a uv workspace whose members cover it (the Haven repository's ``plugins/*``),
the plugin is also added to the workspace root's dependencies and ``[tool.uv.sources]``:
an ``uv pip install -e`` alone is undone by the next ``uv sync``, which removes whatever the
lock file does not name.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import tomllib
from pathlib import Path

import click

from haven_contracts.ids import is_org_id

TEMPLATE_ENV = "HAVEN_PLUGIN_TEMPLATE"
_SKIP = {"__pycache__", ".pytest_cache", ".ruff_cache"}


class TemplateError(ValueError):
    """The plugin cannot be created; the message says why."""


def default_template() -> Path | None:
    """The repository's ``templates/plugin`` (``--template`` / ``HAVEN_PLUGIN_TEMPLATE`` choose another)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "templates" / "plugin"
        if (candidate / "pyproject.toml").is_file():
            return candidate
    return None


def substitutions(name: str, org: str | None = None, title: str | None = None) -> dict[str, str]:
    """Placeholder values for plugin ``name``; raises :class:`TemplateError` on a bad name."""
    if not is_org_id(name):
        raise TemplateError(f"plugin name {name!r} must be a lower-case slug such as 'my-borough'")
    org = org or name
    if not is_org_id(org):
        raise TemplateError(f"organisation id {org!r} must be a lower-case slug such as 'my-borough'")
    title = title or " ".join(part.capitalize() for part in org.split("-"))
    if any(c in title for c in '"\\\n'):
        raise TemplateError("the title may not contain quotes, backslashes or new lines")
    return {"{{name}}": name, "{{module}}": name.replace("-", "_"), "{{org}}": org, "{{title}}": title}


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def create_plugin(
    name: str, dest: Path, *, org: str | None = None, title: str | None = None, template: Path | None = None
) -> Path:
    """Copy the template to ``dest`` with names substituted; return ``dest``.

    Refuses to write into an existing non-empty directory, so nothing is overwritten.
    """
    values = substitutions(name, org, title)
    template = template or default_template()
    if template is None or not (template / "pyproject.toml").is_file():
        raise TemplateError(f"no plugin template found; pass --template or set {TEMPLATE_ENV}")
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise TemplateError(f"{dest} exists and is not empty")
    created: list[Path] = []
    try:
        for src in sorted(template.rglob("*")):
            rel = src.relative_to(template)
            if any(part in _SKIP for part in rel.parts) or src.suffix == ".pyc":
                continue
            target = dest / _fill(str(rel), values)
            if src.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.write_text(_fill(src.read_text(encoding="utf-8"), values), encoding="utf-8")
            except UnicodeDecodeError:
                shutil.copyfile(src, target)
            created.append(target)
    except OSError:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return dest


def find_workspace_root(path: Path) -> Path | None:
    """The uv workspace root whose ``members`` globs cover ``path`` (and no ``exclude`` does)."""
    path = Path(path).resolve()
    for parent in path.parents:
        project = parent / "pyproject.toml"
        if not project.is_file():
            continue
        try:
            workspace = (
                tomllib.loads(project.read_text(encoding="utf-8")).get("tool", {}).get("uv", {}).get("workspace")
            )
        except tomllib.TOMLDecodeError:
            continue
        if workspace is None:
            continue
        rel = path.relative_to(parent).as_posix()
        members = workspace.get("members", [])
        excluded = workspace.get("exclude", [])
        if any(fnmatch.fnmatchcase(rel, g) for g in members) and not any(fnmatch.fnmatchcase(rel, g) for g in excluded):
            return parent
        return None
    return None


def add_to_workspace(root: Path, distribution: str) -> bool:
    """Add ``distribution`` to the root project's dependencies and ``[tool.uv.sources]``.

    Edits the text in place (two inserted lines) rather than re-serialising the TOML, so the
    file keeps its comments and layout. Returns False when both entries were already there.
    """
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    deps = data.get("project", {}).get("dependencies", [])
    sources = data.get("tool", {}).get("uv", {}).get("sources", {})
    have_dep = any(re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0] == distribution for d in deps)
    if have_dep and distribution in sources:
        return False
    lines = text.splitlines(keepends=True)
    if not have_dep:
        start = next((i for i, line in enumerate(lines) if re.match(r"\s*dependencies\s*=\s*\[", line)), None)
        if start is None:
            raise TemplateError(f"{path}: no [project] dependencies list to add {distribution} to")
        end = next(i for i in range(start, len(lines)) if lines[i].rstrip().endswith("]"))
        if end == start:  # a one-line list: dependencies = ["a", "b"]
            head = lines[start].rstrip()[:-1].rstrip().rstrip(",")
            lines[start] = head + ("" if head.endswith("[") else ", ") + f'"{distribution}"]\n'
        else:
            lines.insert(end, f'    "{distribution}",\n')
    if distribution not in sources:
        entry = f"{distribution} = {{ workspace = true }}\n"
        header = next((i for i, line in enumerate(lines) if line.strip() == "[tool.uv.sources]"), None)
        if header is None:
            lines += ["\n" if lines and lines[-1].strip() else "", "[tool.uv.sources]\n", entry]
        else:
            last = header
            for i in range(header + 1, len(lines)):
                if lines[i].lstrip().startswith("["):
                    break
                if lines[i].strip():
                    last = i
            lines.insert(last + 1, entry)
    new_text = "".join(lines)
    tomllib.loads(new_text)  # never leave a broken project file behind
    path.write_text(new_text, encoding="utf-8")
    return True


@click.group("plugin")
def plugin_group() -> None:
    """Work with organisation plugins."""


@plugin_group.command("new")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to create it (default: ./plugins/<name> when ./plugins exists, else ./<name>).",
)
@click.option("--org", default=None, help="Organisation id served (default: the plugin name).")
@click.option("--title", default=None, help="Organisation display name.")
@click.option(
    "--template",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    envvar=TEMPLATE_ENV,
    help=f"Template directory (default: ${TEMPLATE_ENV} or the repository's templates/plugin).",
)
@click.option(
    "--workspace/--no-workspace",
    default=True,
    show_default=True,
    help="Add the plugin to the enclosing uv workspace's root pyproject.toml.",
)
def new(
    name: str, directory: Path | None, org: str | None, title: str | None, template: Path | None, workspace: bool
) -> None:
    """Create a new plugin NAME from the template, ready to install and test."""
    if directory is None:
        directory = Path("plugins") / name if Path("plugins").is_dir() else Path(name)
    try:
        dest = create_plugin(name, directory, org=org, title=title, template=template)
    except TemplateError as exc:
        raise click.ClickException(str(exc)) from None
    module = "haven_" + name.replace("-", "_")
    click.echo(f"created plugin {name} ({module}) in {dest}")
    root = find_workspace_root(dest) if workspace else None
    if root is not None:
        try:
            add_to_workspace(root, f"haven-{name}")
        except (TemplateError, OSError, tomllib.TOMLDecodeError) as exc:
            raise click.ClickException(
                f"created {dest}, but could not add it to {root / 'pyproject.toml'}: {exc}"
            ) from None
        click.echo(
            f"added haven-{name} to the workspace in {root / 'pyproject.toml'} (dependency and source), so uv sync "
            "keeps it"
        )
        click.echo(f"next: uv sync && uv run pytest {dest}/tests")
    else:
        click.echo(
            f"next: uv add --editable {dest} (in your project, so uv sync keeps it) && uv run pytest {dest}/tests"
        )
