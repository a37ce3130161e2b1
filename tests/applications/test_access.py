"""Which submissions a browser session may see (applications.access)."""

import uuid
from types import SimpleNamespace

from django.contrib.sessions.backends.signed_cookies import SessionStore

from amtsweg.applications.access import status_access_grant, status_access_has


def test_a_session_sees_only_the_submissions_granted_to_it():
    session = SessionStore()
    mine, other = SimpleNamespace(uuid=uuid.uuid4()), SimpleNamespace(uuid=uuid.uuid4())
    assert not status_access_has(session=session, submission_uuid=mine.uuid)
    status_access_grant(session=session, submission=mine)
    status_access_grant(session=session, submission=mine)
    assert status_access_has(session=session, submission_uuid=mine.uuid)
    assert status_access_has(session=session, submission_uuid=str(mine.uuid))  # as the URL passes it
    assert not status_access_has(session=session, submission_uuid=other.uuid)
    assert session.modified
