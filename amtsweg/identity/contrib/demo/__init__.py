"""The demo identity provider: BundID's stand-in for development, demo mode and tests (never production)."""
