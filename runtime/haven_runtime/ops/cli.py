"""The ``haven`` command: ``up``, ``status``, ``migrate``, ``plugins``, ``token``, ``rules`` and the integrator and
operator tools."""

from __future__ import annotations

import json
import signal
import sys

import click

from haven_runtime.settings import SettingsError, get_settings


def _settings():
    try:
        return get_settings()
    except SettingsError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


@click.group()
def main() -> None:
    """Haven: housing for people fleeing domestic abuse, across borough lines."""


@main.command()
def up() -> None:
    """Start nats-server (JetStream) and the four services; Ctrl-C stops everything."""
    from haven_runtime.ops.supervisor import AlreadyRunning, Interrupted, Suite

    settings = _settings()
    suite = Suite(settings)

    def _interrupt(signum, _frame):
        suite.interrupted.set()

    # a SIGTERM or Ctrl-C during start-up still stops whatever has started
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        nats_url = suite.start()
        suite.wait_ready()
        suite._check_interrupted()
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None
    except Interrupted:
        suite.stop()
        click.echo("haven stopped during start-up")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001
        suite.stop()
        raise click.ClickException(str(exc)) from None
    for service in suite.services:
        click.echo(f"{service} ready at {suite.url(service)}")
    click.echo(f"nats at {nats_url}")
    click.echo(f"start page: {suite.url('options')}/")
    code = 0
    try:
        code = suite.watch()
    finally:
        suite.stop()
        click.echo("haven stopped")
    sys.exit(code)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(as_json: bool) -> None:
    """Show each process of the running `haven up`: pid, port, readiness and restarts."""
    from haven_runtime.ops.supervisor import NATS, read_state
    from haven_runtime.ops.supervisor import _ready as http_ready

    settings = _settings()
    state = read_state(settings.data_dir)
    if state is None:
        raise click.ClickException(f"Haven is not running on {settings.data_dir} (no `haven up` holds its lock)")
    rows = []
    for name, proc in state["processes"].items():
        if name == NATS:
            ready = _nats_ready(proc.get("url") or "")
        else:
            ready = http_ready(f"{proc['url']}/health/ready")
        rows.append({"process": name, **proc, "ready": ready})
    if as_json:
        click.echo(
            json.dumps(
                {"pid": state["pid"], "data_dir": state["data_dir"], "nats_url": state["nats_url"], "processes": rows},
                indent=2,
            )
        )
        return
    click.echo(f"haven up (pid {state['pid']}) on {state['data_dir']}, nats at {state['nats_url']}")
    click.echo(f"{'process':<12} {'pid':>7} {'port':>6}  {'ready':<5} {'restarts':>8}")
    for row in rows:
        pid = row.get("pid") or "-"
        port = row.get("port") or "-"
        ready = "restarting" if row.get("restarting") else "yes" if row["ready"] else "no"
        click.echo(f"{row['process']:<12} {pid!s:>7} {port!s:>6}  {ready:<5} {row['restarts']:>8}")


def _nats_ready(url: str) -> bool:
    """A TCP connect to the first server in ``url`` that receives nats-server's ``INFO`` line."""
    import socket
    from urllib.parse import urlsplit

    first = urlsplit(url.split(",")[0].strip())
    try:
        with socket.create_connection((first.hostname or "127.0.0.1", first.port or 4222), timeout=1) as sock:
            return sock.recv(5) == b"INFO "
    except OSError:
        return False


@main.command()
@click.option(
    "--service", "services", multiple=True, help="Only this service (repeatable); default: every installed service."
)
@click.option(
    "--stream-replicas",
    type=int,
    envvar="HAVEN_STREAM_REPLICAS",
    default=1,
    show_default=True,
    help="Replicas of each service's stream, when HAVEN_NATS_URL is set.",
)
@click.option(
    "--new",
    "new",
    metavar="WHAT",
    help="Write the next migration of --service (or 'runtime') for what its "
    "table classes add, named after WHAT; touches no database.",
)
def migrate(services: tuple[str, ...], stream_replicas: int, new: str | None) -> None:
    """Apply each service's pending migrations (what start-up does), and provision its stream.

    Run it as a one-off job before a new release's services start. With --new it writes a
    migration file instead (see README, "Changing the schema")."""
    import asyncio

    from haven_runtime.ops.migrate import MigrationError, migrate_service, provision_streams
    from haven_runtime.serve import service_definitions

    if new is not None:
        _new_migration(services, new)
        return
    settings = _settings()
    chosen = services or tuple(sorted(service_definitions()))
    for service in chosen:
        try:
            report = asyncio.run(migrate_service(service, settings))
        except MigrationError as exc:  # including a missing or unreachable database, in one line
            raise click.ClickException(str(exc)) from None
        click.echo(report.summary())
    if settings.nats_url:
        for line in asyncio.run(provision_streams(list(chosen), settings, stream_replicas)):
            click.echo(line)


def _new_migration(services: tuple[str, ...], what: str) -> None:
    from haven_runtime.ops.migrate import MigrationError, service_definition
    from haven_runtime.ops.schema_make import SchemaChangeError, new_migration
    from haven_runtime.schema import runtime_app

    if len(services) != 1:
        raise click.UsageError("--new needs one --service (a service name, or 'runtime' for the shared tables)")
    try:
        if services[0] == "runtime":
            from haven_runtime.tables import runtime_tables

            app, tables = runtime_app(), runtime_tables("runtime").all()
        else:
            definition = service_definition(services[0])
            if definition.migrations is None:
                raise click.ClickException(f"{services[0]} declares no migrations package")
            app, tables = definition.migrations, list(definition.tables)
        path = new_migration(app, tables, what)
    except (MigrationError, SchemaChangeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"wrote {path}: review it, then commit it with the table change"
        if path
        else f"{services[0]}: the migrations already build what the table classes declare"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plugins(as_json: bool) -> None:
    """List installed plugins, versions, organisations served and hooks implemented, and per
    organisation the settings it runs on only as core defaults (its procedure being silent)."""
    from haven_runtime.core_defaults import core_defaults
    from haven_runtime.plugins import build_plugin_manager

    manager = build_plugin_manager(_settings())
    data = {
        "plugins": [p.as_dict() for p in manager.sorted_plugins()],
        "failures": [{"name": f.name, "reason": f.reason} for f in manager.failures],
        "core_defaults": core_defaults(manager),
    }
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for p in data["plugins"]:
        click.echo(f"{p['name']} {p['version']} ({p['distribution']})")
        click.echo(f"  organisations: {', '.join(p['organisations'])}")
        click.echo(f"  hooks: {', '.join(p['hooks']) or '-'}")
    for org, rows in data["core_defaults"].items():
        click.echo(f"{org}: where its procedure is silent")
        for d in rows:
            click.echo(
                f"  {d['service']} {d['setting']}: {d['value']} — {d['note']} (from {d['taken_from']}; "
                f"set its own with {d['set_with']})"
            )
    for f in data["failures"]:
        click.echo(f"FAILED {f['name']}: {f['reason']}", err=True)


@main.command()
@click.option("--org", required=True, help="Organisation id, e.g. bexley.")
@click.option("--role", "roles", multiple=True, required=True, help="Role (repeatable).")
@click.option("--sub", default="dev-officer", show_default=True, help="Officer id.")
@click.option("--ttl", type=int, default=None, help="Lifetime in seconds.")
def token(org: str, roles: tuple[str, ...], sub: str, ttl: int | None) -> None:
    """Issue a development token (refused when HAVEN_ENV=production)."""
    from haven_runtime.identity import TokenError, issue_token
    from haven_runtime.plugins import build_plugin_manager

    settings = _settings()
    if not settings.development:
        raise click.ClickException("the development token issuer is disabled in production")
    # a token for an organisation no plugin serves would pass every signature check yet
    # match nothing: refuse it here, naming the organisations this deployment does serve
    served = sorted(o.id for o in build_plugin_manager(settings).organisations())
    if org not in served:
        raise click.ClickException(
            f"no installed plugin serves organisation {org!r}; served: {', '.join(served) or 'none'}"
        )
    try:
        click.echo(issue_token(sub, org, roles, settings=settings, ttl_seconds=ttl))
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None


from haven_runtime.ops.plugin_new import plugin_group  # noqa: E402 - ``haven plugin new``

main.add_command(plugin_group)

from haven_runtime.ops.asyncapi import _click_commands as _integrator_commands  # noqa: E402 - ``haven asyncapi`` / ``openapi``
from haven_runtime.ops.tail import events_group  # noqa: E402 - ``haven events tail``

for _command in (*_integrator_commands(), events_group):
    main.add_command(_command)


@main.command("nats-config")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory for both files (default: <HAVEN_DATA_DIR>/nats).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file to write (default: <dir>/nats.conf).",
)
@click.option(
    "--credentials",
    type=click.Path(dir_okay=False),
    default=None,
    help="Per-user credentials file (0600; default: <dir>/nats.credentials); reused on regeneration.",
)
@click.option(
    "--org",
    "orgs",
    multiple=True,
    help="Borough with an integrator user (repeatable; default: every organisation the installed plugins serve).",
)
@click.option(
    "--deployment",
    "deployments",
    multiple=True,
    metavar="NAME=ORG[,ORG…]",
    help="A federated deployment and the organisations it hosts, with its own user (repeatable), e.g. "
    "southwark-dartford=southwark,dartford.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address nats-server listens on, and the host in the services' URLs.",
)
@click.option(
    "--listen-host", default=None, help="Listen on another address than --host (e.g. 0.0.0.0 in a container)."
)
@click.option("--port", type=int, default=4222, show_default=True)
@click.option("--store-dir", default=None, help="JetStream storage directory.")
@click.option("--tls-cert", default=None, help="Server certificate (PEM); enables TLS.")
@click.option("--tls-key", default=None, help="Server private key (PEM).")
@click.option("--tls-ca", default=None, help="CA bundle for client certificates.")
@click.option("--tls-verify", is_flag=True, help="Require client certificates.")
def nats_config(
    directory,
    out,
    credentials,
    orgs,
    deployments,
    host,
    listen_host,
    port,
    store_dir,
    tls_cert,
    tls_key,
    tls_ca,
    tls_verify,
) -> None:
    """Write a production nats-server configuration: one user per service, one per federated
    deployment (--deployment), one per borough integrator.

    The files hold secrets, so by default they go to the data directory (never into the
    working tree, where they could be committed), or wherever --dir / --out say.
    """
    from pathlib import Path

    from haven_runtime.natsconf import TlsOptions, generate, read_credentials, write
    from haven_runtime.plugins import build_plugin_manager

    if bool(tls_cert) != bool(tls_key):
        raise click.ClickException("--tls-cert and --tls-key go together")
    tls = (
        TlsOptions(cert_file=tls_cert, key_file=tls_key, ca_file=tls_ca, verify_clients=tls_verify)
        if tls_cert
        else None
    )
    settings = _settings()
    if not orgs:
        orgs = tuple(o.id for o in build_plugin_manager(settings).organisations())
    base = Path(directory) if directory else settings.data_dir / "nats"
    conf = Path(out) if out else base / "nats.conf"
    creds = Path(credentials) if credentials else base / "nats.credentials"
    listen = f"{listen_host or host}:{port}"
    hosted = _parse_deployments(deployments)
    generated = generate(
        orgs=orgs, passwords=read_credentials(creds), tls=tls, listen=listen, store_dir=store_dir, deployments=hosted
    )
    write(generated, conf, creds, host=host, port=port, tls=tls is not None)
    click.echo(f"wrote {conf} ({len(generated.users)} users, listening on {listen}) and {creds}")


def _parse_deployments(values: tuple[str, ...]) -> dict[str, list[str]]:
    """``NAME=ORG[,ORG…]`` options as ``{name: [org, …]}``; a malformed one names itself."""
    from haven_contracts.ids import is_org_id

    hosted: dict[str, list[str]] = {}
    for value in values:
        name, _, orgs = value.partition("=")
        listed = [o.strip() for o in orgs.split(",") if o.strip()]
        if not is_org_id(name.strip()) or not listed or not all(is_org_id(o) for o in listed):
            raise click.BadParameter(
                f"{value!r}: expected NAME=ORG[,ORG…] with slugs like bexley", param_hint="--deployment"
            )
        if name.strip() in hosted:
            raise click.BadParameter(f"deployment {name.strip()} given twice", param_hint="--deployment")
        hosted[name.strip()] = listed
    return hosted


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; fail if docs/rules.md is stale or a rule, marker, quote or code path is wrong.",
)
def rules(check: bool) -> None:
    """Write docs/rules.md: each source-document rule -> code -> tests, and every timescale -> clock."""
    from haven_runtime.ops.rules import run

    sys.exit(run(check=check, echo=click.echo))


if __name__ == "__main__":
    main()
