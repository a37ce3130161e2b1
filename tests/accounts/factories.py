import factory

from amtsweg.accounts.models import User


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.departments.set(extracted)
        if create:
            self.save()
