"""The objections to transfers (Übermittlungssperren) in plain words, for the citizen's pages and emails.

The order is the order on the page. The legal names (``register.fields.TRANSFER_OBJECTIONS``) are for
staff; these say what happens to the data and what an objection changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .register import fields


@dataclass(frozen=True)
class Objection:
    kind: str
    title: str | Promise
    explanation: str | Promise
    law: str


OBJECTIONS = (
    Objection(
        "50-1",
        _("Parties and voter groups before elections"),
        _(
            "In the six months before an election, parties and voter groups may ask for the names and addresses "
            "of voters of certain ages, for example to send election advertising. If you object, your data are "
            "left out."
        ),
        "§\u00a050 Abs.\u00a01 BMG",
    ),
    Objection(
        "36-2",
        _("The Bundeswehr"),
        _(
            "Every year the Bundeswehr receives the name and address of young Germans who turn 18 the next year, "
            "to send them information about serving. If you object, we do not pass on your data."
        ),
        "§\u00a036 Abs.\u00a02 BMG",
    ),
    Objection(
        "50-3",
        _("Publishers of address books"),
        _(
            "Publishers of address books may receive the names, doctoral degrees and addresses of adults. If you "
            "object, your data are not printed in an address book."
        ),
        "§\u00a050 Abs.\u00a03 BMG",
    ),
    Objection(
        "50-2",
        _("Your birthdays, to the press and elected representatives"),
        _(
            "For your 70th birthday, every fifth birthday after that and every birthday from your 100th, we may "
            "tell the press, radio and elected representatives (for example the mayor) your name, address and "
            "the anniversary, so that they can congratulate you or publish it. If you object, we do not."
        ),
        "§\u00a050 Abs.\u00a02 BMG",
    ),
    Objection(
        fields.WEDDING_ANNIVERSARIES,
        _("Your wedding anniversaries, to the press and elected representatives"),
        _(
            "From your 50th wedding anniversary on, we may tell the press, radio and elected representatives. "
            "This objection needs both of you: after you send it, your spouse confirms it with their own online "
            "ID. It is in force once they have."
        ),
        "§\u00a050 Abs.\u00a02 BMG",
    ),
    Objection(
        "42-3",
        _("The religious community of a family member"),
        _(
            "If your spouse, child or parent belongs to a religious community (for example a church) and you do "
            "not, we may pass some of your data to that community. If you object, we do not. Data for the church "
            "tax are passed on all the same."
        ),
        "§\u00a042 Abs.\u00a03 BMG",
    ),
)
BY_KIND = {objection.kind: objection for objection in OBJECTIONS}
assert set(BY_KIND) == set(fields.TRANSFER_OBJECTIONS), "every objection in the register has its plain words"
