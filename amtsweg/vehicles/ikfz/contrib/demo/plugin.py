"""The demo vehicle registry's plugin (filled in by the adapter's commit)."""
