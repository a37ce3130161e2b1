"""A generic OpenID Connect relying party (authorization code flow with PKCE), for Servicekonten that speak OIDC."""
