"""The one registry class (amtsweg/core/registry.py) that every registry builds on."""

import pytest

from amtsweg.core.registry import PluginRegistry, Registry


def _function_named(name):
    def function():
        return name

    function.__qualname__ = name
    return function


def test_the_same_entry_registered_again_replaces_itself_and_moves_last():
    registry = Registry(kind="hook", unique=False)
    first, second = _function_named("first"), _function_named("second")
    registry.add("k", first)
    registry.add("k", second)
    registry.add("k", _function_named("first"))  # the module imported twice
    assert [f() for f in registry.entries("k")] == ["second", "first"]
    assert registry.keys() == ["k"] and "k" in registry and "other" not in registry


def test_a_unique_registry_refuses_a_different_entry_under_a_taken_key():
    registry = Registry(kind="thing")
    registry.add("a", _function_named("one"))
    registry.add("a", _function_named("one"))
    with pytest.raises(ValueError, match="thing 'a' is already registered by"):
        registry.add("a", _function_named("two"))
    with pytest.raises(KeyError, match="no thing 'b'"):
        registry.entry("b")


def test_a_plugin_registry_sets_the_slug_and_configures_from_settings(settings):
    settings.WIDGETS = {"providers": {"demo": {"colour": "green"}}}
    register = PluginRegistry(kind="widget", setting="WIDGETS")

    @register("demo")
    class Demo:
        def __init__(self, config):
            self.config = config

    assert Demo.slug == "demo" and register.slugs() == ["demo"]
    assert register.get("demo").config == {"colour": "green"}
    assert register.get("demo", config={"colour": "red"}).config == {"colour": "red"}
