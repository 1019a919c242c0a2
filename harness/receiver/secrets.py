"""Which secrets may sign what arrives on a channel, and the verdict they give a capture.

A :data:`~harness.delivery.signing.SecretSource` maps a channel to the
:class:`~harness.delivery.signing.KnownSecret` s that may have signed what arrives on it: in
``serve`` the mock's webhooks whose URL names the channel (:func:`harness.api.webhooks.
webhook_secrets`, which also says whether each webhook's company owns the channel); in
``listen`` the ``--secret`` values, for every channel.

:func:`verify_on_channel` gives ``valid`` only for a secret of the channel's owner (or of a
global webhook, the operator's own); a signature that matches only another company's webhook is
``wrong_channel``. Either way the capture records the secret that matched (``verifiedBy``).
"""

from __future__ import annotations

from collections.abc import Mapping

from harness.delivery.signing import KnownSecret, Scheme, SecretSource, Verdict, matching


def no_secrets(channel: str) -> list[KnownSecret]:
    """The default source: nothing is known, so signatures are ``unchecked``."""
    return []


def static_secrets(*secrets: str) -> SecretSource:
    """The same secrets for every channel (``listen --secret HEX``), labelled ``--secret N``."""
    known = [KnownSecret(secret, f"--secret {n}") for n, secret in enumerate(secrets, 1)]

    def source(channel: str) -> list[KnownSecret]:
        return list(known)

    return source


def verify_on_channel(
    scheme: Scheme,
    channel: str,
    known: list[KnownSecret],
    headers: Mapping[str, str],
    body: bytes,
    now: int,
) -> tuple[Verdict, str, KnownSecret | None]:
    """The verdict on ``channel`` and the secret that matched (None when none did)."""
    owning = [k for k in known if k.owns_channel]
    verdict, reason, index = matching(scheme, [k.secret for k in owning], headers, body, now)
    if verdict is Verdict.VALID and index is not None:
        return verdict, f"signature matches {owning[index].label}", owning[index]
    foreign = [k for k in known if not k.owns_channel]
    if not foreign:
        return verdict, reason, None
    other, other_reason, index = matching(scheme, [k.secret for k in foreign], headers, body, now)
    if other is Verdict.VALID and index is not None:
        by = foreign[index]
        return (
            Verdict.WRONG_CHANNEL,
            f"signed with the secret of {by.label} of company {by.company_id}, which does not "
            f"own channel {channel!r}",
            by,
        )
    if verdict is Verdict.UNCHECKED:  # only foreign secrets known: their verdict stands
        return other, other_reason, None
    return verdict, reason, None
