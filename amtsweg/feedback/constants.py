from django.db import models
from django.utils.translation import gettext_lazy as _

# Free text longer than this is refused with a message (the input is kept).
TEXT_MAX_LENGTH = 2000
# Postal addresses for the raffle.
ADDRESS_MAX_LENGTH = 400
# The values of a rating question (the overall satisfaction): 1 very dissatisfied to 5 very satisfied.
RATING_SCALE = range(1, 6)
# From this rating on a citizen counts as satisfied: the scale's top two values, 4 and 5.
SATISFIED_FROM = 4


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One of several answers")
    TEXT = "text", _("Free text")


class QuestionRole(models.TextChoices):
    """What the dashboard does with a question's answers."""

    SATISFACTION = "satisfaction", _("Overall satisfaction (chart and average)")
    IDEA = "idea", _("Improvement idea (tags, raffle eligibility)")
    OTHER = "other", _("Other question")


class ResponseChannel(models.TextChoices):
    """Where the citizen came from: an application's channel, or the portal's general link."""

    ONLINE = "online", _("Online application")
    COUNTER = "counter", _("At the counter")
    PORTAL = "portal", _("General link (footer)")


class ContactKind(models.TextChoices):
    EMAIL = "email", _("By email")
    POST = "post", _("By post")
