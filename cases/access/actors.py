"""Who acts (ADR 0024). Every service and selector takes an actor, which acts for one
organisation:

- a person signed in on the pages: their active `Membership` (partners.actor, ADR 0002), with
  a user and a role;
- an agent: an actor that is not a person, with no user and no role. An API client of an
  organisation now; the personal links of helpers and residents later. It has the scopes it
  was given, and says by which channel it came and by which name and reference the access
  log and the history know it.

Both pass the same doors: `visible_to(actor)` reads only the organisation, the services refuse
what needs a role an agent does not have, and the access log records either (cases.access.log)."""

from dataclasses import dataclass, field

from cases.models import AccessLog
from partners.models import ApiClient, Membership, Organisation

Channel = AccessLog.Channel


@dataclass(frozen=True, eq=False)
class Agent:
    """An actor that is not a person, acting for `organisation` with `scopes`. `reference` is
    stable and unique among agents ("api-client:17"); `name` is what people read ("Huur-
    systeem"); `origin` the client's address, for the access log."""

    channel: str
    reference: str
    name: str
    organisation: Organisation
    scopes: frozenset[str] = field(default_factory=frozenset)
    origin: str = ""
    # The API client it is, where a row must point at it (an import it sent); None for a link.
    client_id: int | None = None
    # The personal link it is (ADR 0032), which decides the one object it reaches; None for
    # an API client.
    link_id: int | None = None

    # What a Membership has and an agent has not: services that record a person record none,
    # and those that need a role refuse.
    user_id = None
    user = None
    role = ""

    def __post_init__(self):
        if self.channel not in (Channel.API, Channel.LINK):
            raise ValueError(f"an agent comes by the API or a personal link, not {self.channel}")
        if not self.reference:
            raise ValueError("an agent needs a reference for the access log")

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def __str__(self):
        return self.name


Actor = Membership | Agent


def is_agent(actor) -> bool:
    return isinstance(actor, Agent)


def actor_name(actor) -> str:
    """The name people read for who did something: the person's, or the agent's."""
    if isinstance(actor, Agent):
        return actor.name
    return actor.user.name


def agent_for_client(client: ApiClient, *, origin: str = "") -> Agent:
    """The agent an API client acts as: for its organisation, with its scopes, under its
    current name."""
    return Agent(
        channel=Channel.API,
        reference=client.reference,
        name=client.name,
        organisation=client.organisation,
        scopes=frozenset(client.scopes),
        origin=origin,
        client_id=client.pk,
    )


def agent_for_link(link, *, origin: str = "") -> Agent:
    """The agent a personal link acts as (ADR 0032): for the organisation that made it, with
    its purpose as its one scope, known to the log as `link:<id>` and by the first name of
    the person it was made for."""
    name = link.helper.first_name if link.helper_id else link.get_purpose_display()
    return Agent(
        channel=Channel.LINK,
        reference=link.reference,
        name=name,
        organisation=link.organisation,
        scopes=frozenset({link.purpose}),
        origin=origin,
        link_id=link.pk,
    )


def history_by(actor) -> dict:
    """What the household's history adds about who did a step: an agent has no person, so its
    name goes into the event's data (the timeline shows it where it shows a person's)."""
    return {"agent": actor.name} if isinstance(actor, Agent) else {}
