"""Key pairs for SAML signing: configured files in production, made once for demo mode.

A generated pair is a 3072-bit RSA key and a self-signed certificate (SHA-256),
written to ``VAR_DIR/identity/`` under a file lock so that several workers
starting at once agree on one pair. The key file is readable by its owner only.
"""

from __future__ import annotations

import datetime
import fcntl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from amtsweg.core.files import file_write_atomic

KEY_BITS = 3072
CERT_DAYS = 5 * 365


def generated_keypair(*, name: str, common_name: str) -> tuple[Path, Path]:
    """The demo key pair ``name`` (key file, certificate file), made on first use."""
    directory = Path(settings.VAR_DIR) / "identity"
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (key_path.exists() and cert_path.exists()):
            key_pem, cert_pem = self_signed(common_name)
            file_write_atomic(key_path, key_pem, mode=0o600)
            file_write_atomic(cert_path, cert_pem, mode=0o644)
    return key_path, cert_path


def self_signed(common_name: str, *, key_bits: int = KEY_BITS, days: int = CERT_DAYS) -> tuple[bytes, bytes]:
    """A new RSA key and a self-signed SHA-256 certificate for it, both PEM (key in PKCS#8, unencrypted)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_bits)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def certificate_body(cert_path: Path) -> str:
    """The certificate as base64 without PEM armour, as SAML metadata carries it."""
    lines = Path(cert_path).read_text().strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))
