"""Payment provider plugins register here: ``@register("demo")``."""

from amtsweg.core.registry import PluginRegistry

from .base import PaymentProvider

registry: PluginRegistry[PaymentProvider] = PluginRegistry(kind="payment provider", setting="PAYMENTS")
register = registry
