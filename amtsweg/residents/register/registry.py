"""Residents'-register plugins register here: ``@register("demo")``."""

from amtsweg.core.registry import PluginRegistry

from .base import ResidentsRegister

registry: PluginRegistry[ResidentsRegister] = PluginRegistry(kind="residents register", setting="RESIDENTS_REGISTER")
register = registry
