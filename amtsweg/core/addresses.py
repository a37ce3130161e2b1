"""One mailbox behind the spellings of an email address, for limits per person.

Most providers deliver ``erika+termin1@example.org`` to ``erika@example.org``
(plus addressing), and Gmail also ignores dots in the local part
(``e.rika@gmail.com``) and takes googlemail.com for gmail.com. A limit "per email
address" that compares addresses as typed is thus one limit per spelling: four
spellings, four appointment holds. ``mailbox_key`` gives every such spelling of one
mailbox the same key. Only comparisons use it; emails still go to the address as
the person typed it.
"""

from __future__ import annotations

# Providers that ignore dots in the local part of their addresses, each with the domain it is known as
# (googlemail.com is gmail.com). Add a provider only where it documents that dots do not matter: a wrong
# entry would make two people one for every limit.
DOTS_IGNORED = {
    "gmail.com": "gmail.com",
    "googlemail.com": "gmail.com",
}
# What separates a tag from the mailbox in the local part (RFC 5233 subaddressing).
TAG_SEPARATOR = "+"


def mailbox_key(address: str) -> str:
    """The key that every spelling of ``address``'s mailbox shares: lower case, the local part without a
    ``+tag``, without dots at the providers of ``DOTS_IGNORED``, under the provider's own domain.

    ``"E.Rika+Termin@GoogleMail.com"`` and ``"erika@gmail.com"`` both give ``"erika@gmail.com"``. Text
    without an @ is only put in lower case.
    """
    text = (address or "").strip().lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    domain = domain.rstrip(".")
    local = local.split(TAG_SEPARATOR, 1)[0] or local  # "+x@…" has no mailbox before the tag: kept whole
    if domain in DOTS_IGNORED:
        domain = DOTS_IGNORED[domain]
        local = local.replace(".", "") or local
    return f"{local}@{domain}"
