"""The demo login: pick a test person and be logged in, without any outside party (never production)."""
