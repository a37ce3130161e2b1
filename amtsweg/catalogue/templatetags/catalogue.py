from django import template
from django.utils.translation import gettext as _

from ..constants import TrustLevel
from ..money import format_cents

register = template.Library()


@register.filter
def euro(cents: int | None) -> str:
    if cents is None:
        return ""
    return format_cents(cents)


@register.filter
def trust_short(level: str) -> str:
    labels: dict[str, str] = {
        TrustLevel.NONE: _("none"),
        TrustLevel.BASIC: _("basic"),
        TrustLevel.SUBSTANTIAL: _("substantial"),
        TrustLevel.HIGH: _("high (online ID card)"),
    }
    return labels.get(level, level)
