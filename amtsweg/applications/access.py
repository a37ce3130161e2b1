"""Which submissions this browser may see: the one owner of that rule.

A session is granted a submission when the citizen submits it, enters its
reference number and access code, follows its status link or opens "Mein
Amtsweg". The grant opens the submission's status pages, its files and its
payment. Nothing else reads or writes the session key: a change to the rule
(e.g. what logging out takes away) is made here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uuid

    from django.contrib.sessions.backends.base import SessionBase

    from .models import Submission

# The submissions' uuids as strings, in the order they were granted.
SESSION_KEY = "status_access"


def status_access_grant(*, session: SessionBase, submission: Submission) -> None:
    """Let this browser session see ``submission`` from now on."""
    granted = list(session.get(SESSION_KEY, []))
    if str(submission.uuid) not in granted:
        granted.append(str(submission.uuid))
    session[SESSION_KEY] = granted


def status_access_has(*, session: SessionBase, submission_uuid: uuid.UUID | str) -> bool:
    """Whether this browser session may see the submission with this uuid.

    Takes the uuid, not the submission, so that a page can refuse before it reads the submission.
    """
    return str(submission_uuid) in session.get(SESSION_KEY, [])
