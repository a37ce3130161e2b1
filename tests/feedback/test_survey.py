"""The survey: one-time links, anonymous storage, bad input with clear messages and never a 500."""

import pytest
from django.core.signing import Signer

from amtsweg.feedback.models import Response, UsedToken
from amtsweg.feedback.tokens import survey_token_for

from .factories import CampaignFactory

ANSWERS = {
    "zufriedenheit": "4",
    "verstaendlich": "yes",
    "dauer": "10-30",
    "wieder-online": "yes",
    "verbesserung": "Mehr Termine am Samstag",
    "weitere-dienste": "",
}


def _post(client, token="", language="", **changes):
    data = {**ANSWERS, **changes}
    if token:
        data["t"] = token
    return client.post(f"{language}/rueckmeldung/", data)


def test_the_survey_shows_the_default_questions_in_german_and_english(client, campaign, submission):
    token = survey_token_for(submission=submission)
    german = client.get("/rueckmeldung/", {"t": token}, follow=True).content.decode()
    assert "Wie zufrieden sind Sie insgesamt?" in german and "Was sollten wir verbessern?" in german
    assert "Meldebescheinigung" in german
    english = client.get("/en/rueckmeldung/", {"t": token}, follow=True).content.decode()
    assert "How satisfied are you overall?" in english and "What should we improve?" in english


def test_a_response_through_the_link_is_stored_with_service_and_channel_only(client, campaign, submission):
    response = _post(client, survey_token_for(submission=submission))
    assert response.status_code == 302 and response["Location"].startswith("/rueckmeldung/danke/")
    stored = Response.objects.get()
    assert stored.service == submission.service and stored.channel == "online"
    assert stored.satisfaction == 4 and stored.idea == "Mehr Termine am Samstag"
    assert stored.answers["dauer"] == "10-30"
    # Nothing of the submission is stored: only the hash of the link's nonce, in its own table.
    assert UsedToken.objects.count() == 1
    row = str(Response.objects.values().get())
    for secret in (str(submission.uuid), submission.reference, submission.email, "Mustermann"):
        assert secret not in row
    assert str(submission.uuid) not in UsedToken.objects.get().digest


def test_one_response_per_submission_even_from_different_links(client, campaign, submission):
    first = survey_token_for(submission=submission)
    second = survey_token_for(submission=submission)  # e.g. the one in the "done" email
    assert _post(client, first).status_code == 302
    again = _post(client, second)
    assert again.status_code == 409
    assert "bereits beantwortet" in again.content.decode()
    assert client.get("/rueckmeldung/", {"t": first}).status_code == 409
    assert client.get("/rueckmeldung/", {"t": first})["Referrer-Policy"] == "strict-origin"
    assert Response.objects.count() == 1


def test_two_submissions_may_each_answer_once(client, campaign, submission):
    from tests.applications.factories import SubmissionFactory

    other = SubmissionFactory(form_version=submission.form_version)
    assert _post(client, survey_token_for(submission=submission)).status_code == 302
    assert _post(client, survey_token_for(submission=other)).status_code == 302
    assert Response.objects.count() == 2


@pytest.mark.parametrize("token", ["nonsense", Signer(salt="x").sign("abc")])
def test_an_invalid_link_is_refused_with_a_message(client, campaign, token):
    for response in (client.get("/rueckmeldung/", {"t": token}), _post(client, token)):
        assert response.status_code == 400
        assert "Dieser Link zur Umfrage ist nicht gültig" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_tampered_link_cannot_claim_another_service(client, campaign, submission):
    token = survey_token_for(submission=submission)
    payload, _sep, signature = token.rpartition(":")
    assert _post(client, payload + "x:" + signature).status_code == 400


def test_the_general_survey_from_the_footer_works_without_a_link(client, campaign):
    page = client.get("/")
    assert 'href="/rueckmeldung/"' in page.content.decode()
    assert _post(client).status_code == 302
    stored = Response.objects.get()
    assert stored.service is None and stored.channel == "portal"


def test_overlong_text_is_refused_and_the_input_kept(client, campaign):
    long_text = "x" * 2001
    response = _post(client, verbesserung=long_text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "höchstens 2000 Zeichen" in page
    assert long_text in page  # kept
    assert 'href="#id_verbesserung"' in page  # the error summary links to the field
    assert Response.objects.count() == 0


def test_missing_and_invalid_choices_get_messages(client, campaign):
    response = _post(client, zufriedenheit="", dauer="forever")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Beantworten Sie die Frage" in page and "Wählen Sie eine der Antworten" in page


def test_html_in_free_text_is_shown_escaped(client, campaign):
    response = _post(client, verbesserung="<script>alert(1)</script>" + "x" * 2000)
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_responses_are_rate_limited_per_address(client, campaign, settings):
    settings.FEEDBACK = {**settings.FEEDBACK, "limit_per_ip_without_link": 2}
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    third = _post(client)
    assert third.status_code == 429
    assert "Bitte versuchen Sie es in einer Stunde noch einmal" in third.content.decode()
    assert Response.objects.count() == 2


def test_without_a_running_campaign_the_page_says_so(client, db):
    response = client.get("/rueckmeldung/")
    assert response.status_code == 200
    assert "Zurzeit gibt es keine Umfrage" in response.content.decode()


def test_a_campaign_for_the_service_wins_over_the_general_one(client, campaign, submission):
    special = CampaignFactory(name_de="Sonderumfrage Bürgerbüro", questions=False)
    special.services.add(submission.service)
    special.questions.create(key="nur", kind="yes_no", text_de="Nur eine Frage?", text_en="Only one question?")
    page = client.get("/rueckmeldung/", {"t": survey_token_for(submission=submission)}, follow=True).content.decode()
    assert "Nur eine Frage?" in page and "Wie zufrieden" not in page


def _token():
    from tests.applications.factories import SubmissionFactory

    return survey_token_for(submission=SubmissionFactory())


def test_the_thank_you_page_offers_the_raffle_only_with_an_idea(client, campaign):
    with_idea = _post(client, _token())
    page = client.get(with_idea["Location"]).content.decode()
    assert "Am Gewinnspiel teilnehmen" in page
    without_idea = _post(client, _token(), verbesserung="")
    page = client.get(without_idea["Location"]).content.decode()
    assert "Am Gewinnspiel teilnehmen" not in page
    assert "nur Antworten mit einem Verbesserungsvorschlag" in page
    refused = client.get("/rueckmeldung/gewinnspiel/")  # the ticket of the response without an idea
    assert refused.status_code == 400


def test_the_link_from_an_email_is_moved_into_the_session_and_no_address_carries_a_token(client, campaign, submission):
    token = survey_token_for(submission=submission)
    first = client.get("/rueckmeldung/", {"t": token})
    assert first.status_code == 302 and first["Location"] == "/rueckmeldung/"
    assert first["Referrer-Policy"] == "strict-origin"
    page = client.get("/rueckmeldung/")
    assert page["Referrer-Policy"] == "strict-origin"
    assert "Meldebescheinigung" in page.content.decode() and token not in page.content.decode()
    sent = client.post("/rueckmeldung/", ANSWERS)  # no token in the form
    assert sent.status_code == 302 and sent["Location"] == "/rueckmeldung/danke/"
    assert Response.objects.get().service == submission.service
    thanks = client.get(sent["Location"])
    assert thanks["Referrer-Policy"] == "no-referrer"
    assert 'href="/rueckmeldung/gewinnspiel/"' in thanks.content.decode()
    assert 'role="button"' not in thanks.content.decode()
    # The token is used up: the general survey is shown next time, not this service's.
    assert client.post("/rueckmeldung/", ANSWERS).status_code == 302
    assert Response.objects.filter(service=None).count() == 1


def test_nul_bytes_and_control_characters_in_free_text_are_dropped(client, campaign):
    assert _post(client, verbesserung="Mehr\x00 Termine\x07 am\r\nSamstag").status_code == 302
    assert Response.objects.get().idea == "Mehr Termine am\nSamstag"


def test_confirmation_and_completed_status_pages_carry_the_one_time_link(client, campaign, submission):
    from amtsweg.feedback.templatetags.feedback import feedback_survey_url

    url = feedback_survey_url(submission)
    assert url.startswith("/rueckmeldung/?t=")
    assert _post(client, url.split("?t=")[1]).status_code == 302


def test_the_raffle_and_its_conditions_are_stated_before_the_citizen_answers(client, campaign):
    page = client.get("/rueckmeldung/", {"t": _token()}, follow=True).content.decode()
    assert "Es gibt 2 Preise zu gewinnen, jeweils ein Kinogutschein." in page
    assert "Um teilzunehmen, schreiben Sie eine Idee auf, was wir verbessern könnten." in page
    english = client.get("/en/rueckmeldung/", {"t": _token()}, follow=True).content.decode()
    assert "There are 2 prizes to win, each a cinema voucher." in english


def test_the_general_survey_promises_no_raffle_it_does_not_hold(client, campaign):
    assert not campaign.raffle_footer_responses
    assert "Gewinnspiel" not in client.get("/rueckmeldung/").content.decode()
    campaign.raffle_footer_responses = True
    campaign.save()
    assert "Gewinnspiel" in client.get("/rueckmeldung/").content.decode()
