"""Bus security: the generated production nats-server configuration, tested against
a real nats-server started with it.

A borough integrator cannot subscribe to another borough's subjects; a service cannot
publish outside its own subjects or listen to another service's requests; and the services
themselves still run the JWA advance-contact flow of seed ``000_93a7cd5d2a8b6030.txt``
("borough A will make contact with borough B in advance using a list of named officers")
with their own credentials, without a single permission violation in the server log.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import nats
import pytest

from haven_runtime.natsconf import (
    TlsOptions,
    generate,
    read_credentials,
    service_user,
    write,
)
from haven_runtime.ops.natsserver import nats_server_binary, start_nats_server
from haven_runtime.testing import REPLY_TIMEOUT, eventually, flushed, make_settings
from haven_runtime.testing.plugins import case_with_accepted_duty

ORGS = ["bexley", "bromley", "greenwich"]


@pytest.fixture
def secured(tmp_path: Path):
    generated = generate(orgs=ORGS)
    conf = tmp_path / "nats.conf"
    write(generated, conf, tmp_path / "nats.credentials", host="127.0.0.1", port=4222, tls=False)
    log = tmp_path / "secured-nats.log"
    server = start_nats_server(tmp_path / "secured-js", config_file=conf, log_file=log)
    try:
        yield generated, server, log
    finally:
        server.stop()


async def connect(generated, server, user: str):
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    nc = await nats.connect(generated.url(user, server.host, server.port), error_cb=on_error, allow_reconnect=False)
    return nc, errors


async def settle(nc) -> None:
    """The server has processed everything ``nc`` sent; it answers the flush after any
    permissions error, and nats-py runs the error callback before it reads the answer."""
    await flushed(nc)


SENTINEL = "haven.options.evt.case-closed.v1.bromley"


def violations(errors) -> list[str]:
    return [str(e) for e in errors if "permissions violation" in str(e).lower()]


async def test_wrong_password_and_anonymous_are_refused(secured):
    generated, server, _ = secured
    with pytest.raises(Exception):
        await nats.connect(
            f"nats://{server.host}:{server.port}", allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=1
        )
    with pytest.raises(Exception):
        await nats.connect(
            f"nats://haven-options:wrong@{server.host}:{server.port}",
            allow_reconnect=False,
            max_reconnect_attempts=0,
            connect_timeout=1,
        )


@pytest.mark.parametrize(
    "subject",
    [
        "haven.options.evt.move-notified.v1.bexley.greenwich",  # between two other boroughs
        "haven.*.evt.*.*.bexley",  # everything about bexley
        "haven.options.evt.>",  # everything
        ">",
        "haven.directory.req.>",  # requests (carry purposes) are for the owning service only
        "_INBOX.>",  # replies carry personal data: never for integrators
    ],
)
async def test_borough_integrator_cannot_subscribe_to_another_boroughs_subjects(secured, subject):
    generated, server, _ = secured
    nc, errors = await connect(generated, server, "integrator-bromley")
    await nc.subscribe(subject)
    await settle(nc)
    assert violations(errors), f"integrator-bromley was allowed to subscribe to {subject}"
    await nc.close()


async def test_borough_integrator_receives_its_own_boroughs_events_only(secured):
    generated, server, _ = secured
    bromley, bromley_errors = await connect(generated, server, "integrator-bromley")
    got: list[str] = []

    async def collect(msg):
        got.append(msg.subject)

    for pattern in ("haven.*.evt.*.*.bromley", "haven.*.evt.*.*.bromley.*", "haven.*.evt.*.*.*.bromley"):
        await bromley.subscribe(pattern, cb=collect)
    await settle(bromley)
    assert violations(bromley_errors) == []

    options, options_errors = await connect(generated, server, "haven-options")
    for subject in (
        "haven.options.evt.case-opened.v1.bromley",
        "haven.options.evt.move-notified.v1.bexley.bromley",
        "haven.options.evt.move-notified.v1.bromley.greenwich",
        "haven.options.evt.move-notified.v1.bexley.greenwich",
        "haven.options.evt.case-opened.v1.bexley",
        SENTINEL,
    ):
        await options.publish(subject, b"{}")
    await settle(options)
    assert violations(options_errors) == []
    # one publisher's messages arrive in order: once the last one is in, nothing else is coming
    await eventually(lambda: SENTINEL in got)
    assert sorted(got) == sorted(
        [
            "haven.options.evt.case-opened.v1.bromley",
            "haven.options.evt.move-notified.v1.bexley.bromley",
            "haven.options.evt.move-notified.v1.bromley.greenwich",
            SENTINEL,
        ]
    )
    # publishing is denied to integrators altogether
    await bromley.publish("haven.options.evt.case-opened.v1.bromley", b"{}")
    await settle(bromley)
    assert violations(bromley_errors)
    await bromley.close()
    await options.close()


@pytest.mark.parametrize(
    "subject",
    [
        "haven.sanctuary.evt.referral-received.v1.dartford",
        "haven.directory.evt.role-holder-changed.v1.bexley",
        "$JS.API.STREAM.DELETE.HAVEN_SANCTUARY",
        "$JS.API.STREAM.PURGE.HAVEN_OPTIONS",
        "_INBOX.somebody-elses-reply",
        "elsewhere",
    ],
)
async def test_service_cannot_publish_outside_its_own_subjects(secured, subject):
    generated, server, _ = secured
    nc, errors = await connect(generated, server, "haven-options")
    await nc.publish(subject, b"{}")
    await settle(nc)
    assert violations(errors), f"haven-options was allowed to publish to {subject}"
    await nc.close()


@pytest.mark.parametrize("subject", ["haven.directory.req.>", "haven.options.evt.>", "haven.sanctuary.evt.>", ">"])
async def test_service_cannot_listen_to_other_services_requests_or_raw_events(secured, subject):
    generated, server, _ = secured
    nc, errors = await connect(generated, server, "haven-options")
    await nc.subscribe(subject)
    await settle(nc)
    assert violations(errors), f"haven-options was allowed to subscribe to {subject}"
    await nc.close()


async def test_a_service_cannot_read_another_services_replies(secured):
    """Replies to requests (possibly personal details) reach only the requester: each service
    connects with its own inbox prefix and may subscribe only under it."""
    from haven_runtime.bus import make_broker
    from haven_runtime.natsconf import inbox_prefix

    generated, server, _ = secured
    sanctuary, errors = await connect(generated, server, "haven-sanctuary")
    for subject in (f"{inbox_prefix('haven-options')}.>", "_INBOX.>", "_INBOX.*"):
        await sanctuary.subscribe(subject)
        await settle(sanctuary)
        assert violations(errors), f"haven-sanctuary was allowed to subscribe to {subject}"
        errors.clear()
    await sanctuary.close()

    # the service's own broker connection uses its own prefix and can make requests with it
    broker = make_broker(generated.url("haven-options", server.host, server.port), name="haven-options")
    await broker.connect()
    try:
        nc = broker.connection
        assert nc.new_inbox().startswith("_INBOX.haven-options.")
        directory, directory_errors = await connect(generated, server, "haven-directory")

        async def answer(msg) -> None:
            await msg.respond(b"{}")

        await directory.subscribe("haven.directory.req.probe.v1.bexley", cb=answer)
        await settle(directory)
        reply = await nc.request("haven.directory.req.probe.v1.bexley", b"{}", timeout=REPLY_TIMEOUT)
        assert reply.data == b"{}" and reply.subject.startswith("_INBOX.haven-options.")
        assert not violations(directory_errors)
        await directory.close()
    finally:
        await broker.stop()


async def test_services_run_the_jwa_flow_with_their_own_credentials(secured, tmp_path, start_service, token):
    generated, server, log = secured
    directory = await start_service(
        "directory",
        settings=make_settings(tmp_path / "dir", generated.url("haven-directory", server.host, server.port)),
    )
    options = await start_service(
        "options", settings=make_settings(tmp_path / "opt", generated.url("haven-options", server.host, server.port))
    )
    assert (await directory.get("/health/ready")).status_code == 200
    case_ref = await case_with_accepted_duty(options, token("bexley", "options_officer"))
    r = await options.post(
        "/jwa/notifications",
        json={"case_ref": case_ref, "to_org": "bromley"},
        headers=token("bexley", "options_officer"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["addressed_to"], "the directory answered the role-holder request"

    async def inbox():
        resp = await options.get("/jwa/inbox", headers=token("bromley", "dv_lead"))
        return resp.status_code == 200 and resp.json()

    await eventually(inbox, timeout=10)
    text = log.read_text()
    assert "Violation" not in text, [line for line in text.splitlines() if "Violation" in line]


def test_generated_configuration_is_accepted_by_nats_server_with_tls(tmp_path):
    """``nats-server -t`` checks a configuration, including the TLS block, without serving."""
    cert, key = _self_signed(tmp_path)
    generated = generate(
        orgs=ORGS, tls=TlsOptions(cert_file=str(cert), key_file=str(key), ca_file=str(cert), verify_clients=True)
    )
    conf = tmp_path / "tls.conf"
    write(generated, conf, tmp_path / "creds", host="nats.example", port=4222, tls=True)
    result = subprocess.run(
        [str(nats_server_binary()), "-c", str(conf), "-t"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert generated.config["tls"]["verify"] is True
    assert "tls://haven-options:" in (tmp_path / "creds").read_text()
    assert oct(conf.stat().st_mode & 0o777) == "0o600"


def test_regeneration_keeps_existing_passwords(tmp_path):
    first = generate(orgs=["bexley"], consumers={})
    write(first, tmp_path / "c.conf", tmp_path / "creds", host="h", port=1, tls=False)
    again = generate(orgs=["bexley", "bromley"], consumers={}, passwords=read_credentials(tmp_path / "creds"))
    assert again.credentials["haven-options"] == first.credentials["haven-options"]
    assert again.credentials["integrator-bexley"] == first.credentials["integrator-bexley"]
    assert "integrator-bromley" in again.credentials


def test_service_permissions_name_only_its_own_durables():
    user = service_user("options", [("options", "options-jwa-inbox"), ("sanctuary", "options-sanctuary-outcome")])
    assert "$JS.API.CONSUMER.MSG.NEXT.HAVEN_OPTIONS.options-jwa-inbox" in user.publish
    assert not any(p.startswith("haven.sanctuary.evt") or p.startswith("haven.options.req") for p in user.publish)
    assert not any(
        "DELETE" in p or "PURGE" in p or p.endswith(".>") and p.startswith("$JS.API.STREAM") for p in user.publish
    )


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "nats.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("nats.example")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path
