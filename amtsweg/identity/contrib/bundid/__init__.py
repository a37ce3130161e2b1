"""BundID login: a SAML 2.0 service provider (pysaml2 + xmlsec1) for the federal citizen account."""
