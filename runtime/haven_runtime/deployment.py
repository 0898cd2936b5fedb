"""Which organisations this deployment hosts, and the bus names that follow from it.

A deployment is one running Haven hosting a chosen set of organisations. ``HAVEN_HOSTED_ORGS`` unset is the all-in-one
deployment: it hosts every organisation the installed plugins serve and keeps the single-deployment names
(``HAVEN_OPTIONS``, ``options-<purpose>``, ``options-responders``), so an existing data
directory and JetStream store upgrade in place. Setting it makes the deployment *federated*:
every stream, durable consumer and queue group carries ``HAVEN_DEPLOYMENT``, so two
deployments of the same service never share or steal messages.

Plugins of organisations this deployment does not host may still load — for their public
data only (a partner's office hours, its listing) — but nothing of theirs is stored here.
"""

from __future__ import annotations

from dataclasses import dataclass

from haven_contracts import subjects
from haven_runtime.settings import Settings, SettingsError


class NotHosted(PermissionError):
    """An organisation this deployment does not host was asked to store something here."""


@dataclass(frozen=True)
class Deployment:
    name: str
    orgs: frozenset[str]
    federated: bool

    def hosts(self, org: str) -> bool:
        """Federated: the listed organisations only. All-in-one: every organisation — those
        the plugins serve and any other, which works on the core defaults (as tokens do)."""
        return org in self.orgs or not self.federated

    def require_hosted(self, org: str) -> str:
        if not self.hosts(org):
            raise NotHosted(
                f"{org} is not hosted by deployment {self.name}: its records live only in its own deployment"
            )
        return org

    @property
    def scope(self) -> str | None:
        """The deployment name as it appears in bus names; None for the all-in-one names."""
        return self.name if self.federated else None

    def stream(self, service: str) -> str:
        return subjects.stream_name(service, self.scope)

    def stream_subjects(self, service: str) -> list[str]:
        return subjects.stream_subjects(service, sorted(self.orgs) if self.federated else None)

    def consumer_stream(self, consuming_service: str, from_service: str) -> str:
        """Where a consumer of ``from_service``'s events reads: that service's stream in the
        all-in-one deployment, the consuming service's inbound stream when federated."""
        return (
            subjects.inbound_stream_name(consuming_service, self.name)
            if self.federated
            else subjects.stream_name(from_service)
        )

    def consumer(self, service: str, purpose: str) -> str:
        return subjects.consumer_name(service, purpose, self.scope)

    def queue(self, service: str) -> str:
        return subjects.responder_queue(service, self.scope)


def resolve_deployment(settings: Settings, served: list[str] | tuple[str, ...]) -> Deployment:
    """The deployment ``settings`` describe, checked against the organisations the loaded
    plugins serve: hosting an organisation no plugin serves stops start-up with its name."""
    if settings.hosted_orgs is None:
        return Deployment(name=settings.deployment, orgs=frozenset(served), federated=False)
    missing = [org for org in settings.hosted_orgs if org not in set(served)]
    if missing:
        raise SettingsError(
            f"HAVEN_HOSTED_ORGS names {', '.join(missing)}, which no loaded plugin serves "
            f"(served: {', '.join(sorted(served)) or 'none'}); install its plugin or check HAVEN_PLUGINS"
        )
    return Deployment(name=settings.deployment, orgs=frozenset(settings.hosted_orgs), federated=True)
