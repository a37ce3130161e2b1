import factory

from amtsweg.applications.models import FormVersion, Submission
from tests.catalogue.factories import ServiceFactory

SIMPLE_DEFINITION = {
    "service": "leistung",
    "version": 1,
    "title": {"de": "Testantrag", "en": "Test application"},
    "steps": [
        {
            "key": "person",
            "title": {"de": "Ihre Angaben", "en": "About you"},
            "fields": [
                {"key": "name", "type": "person_name", "label": {"de": "Ihr Name", "en": "Your name"}},
                {"key": "email", "type": "email", "label": {"de": "E-Mail-Adresse", "en": "Email address"}},
            ],
        }
    ],
}


class FormVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormVersion

    service = factory.SubFactory(ServiceFactory)
    number = 1
    definition = factory.LazyFunction(lambda: dict(SIMPLE_DEFINITION))
    published = True


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    form_version = factory.SubFactory(FormVersionFactory)
    service = factory.SelfAttribute("form_version.service")
    reference = factory.Sequence(lambda n: f"KS-2026-{n:06d}-0")
    access_code_hash = "unused"
    definition = factory.SelfAttribute("form_version.definition")
    answers = factory.LazyFunction(
        lambda: {"name": {"given_names": "Erika", "family_name": "Mustermann"}, "email": "erika@example.org"}
    )
    language = "de"
    email = "erika@example.org"
    applicant_name = "Erika Mustermann"
