"""Vehicle-registration plugins register here: ``@register("demo")``."""

from amtsweg.core.registry import PluginRegistry

from .base import VehicleRegistry

registry: PluginRegistry[VehicleRegistry] = PluginRegistry(kind="vehicle registry", setting="VEHICLE_REGISTRY")
register = registry
