"""The demo identity provider: BundID's stand-in for development, demo mode and tests (never production).

A site of its own under ``/demo-idp/``, not a login plugin: the ``bundid`` plugin reaches it through its
configured metadata URL, as it reaches BundID.
"""
