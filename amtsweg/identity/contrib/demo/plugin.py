"""The demo identity provider registers no login of its own.

It is not a provider plugin but an identity provider *site* under
``/demo-idp/`` (see ``idp.py`` and ``views.py``). Citizens reach it through the
``bundid`` plugin, which talks real SAML to it whenever no BundID metadata is
configured and ``IDENTITY["demo_idp"]`` is on.
"""
