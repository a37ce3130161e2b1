"""The city's electronic seal on the documents it issues (PAdES, with pyHanko), and its check.

A sealed PDF carries a certification signature of the profile PAdES B-B: it covers the whole file and
allows no later change (DocMDP "no changes"), so a PDF reader shows the seal and any change made
afterwards breaks it. The seal is made with the key and certificate configured in
``settings.DOCUMENTS_SEAL`` (files; a certificate chain may follow the certificate). In demo mode, and
only there, a key and a self-signed certificate are made on first use in ``VAR_DIR/documents/``,
under a file lock, like the demo SAML keys. Without either, ``seal_available()`` is False and the
services that issue sealed documents say so (docs/residents.md).

``seal_check`` validates the seal of an uploaded PDF with pyHanko's validator against the seal's own
certificates (and ``trust_root_files``: older seal certificates, or the root of the seal's authority):
whether the signature is intact, whether it covers the whole file, whether no change was made after
it, and whether it was made with a certificate we trust.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import fcntl
import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from amtsweg.core.files import file_write_atomic

logger = logging.getLogger(__name__)

DEMO_CERT_DAYS = 5 * 365
FIELD_NAME = "Siegel"


class SealUnavailable(Exception):
    """No seal key is configured here (production without DOCUMENTS_SEAL_KEY_FILE and _CERT_FILE)."""


@dataclass(frozen=True)
class SealFiles:
    key: Path
    cert: Path
    chain: tuple[Path, ...] = ()
    password: bytes | None = None


def _config() -> dict[str, Any]:
    return dict(settings.DOCUMENTS_SEAL)


def seal_files() -> SealFiles:
    """The configured key and certificate, or the demo pair (made on first use) in demo mode."""
    config = _config()
    if config.get("key_file") and config.get("cert_file"):
        password = config.get("key_password") or ""
        return SealFiles(
            key=Path(config["key_file"]),
            cert=Path(config["cert_file"]),
            chain=tuple(Path(name) for name in config.get("chain_files") or ()),
            password=password.encode() if password else None,
        )
    if config.get("demo"):
        key, cert = demo_keypair()
        return SealFiles(key=key, cert=cert)
    raise SealUnavailable("DOCUMENTS_SEAL_KEY_FILE and DOCUMENTS_SEAL_CERT_FILE are not set")


def seal_available() -> bool:
    config = _config()
    return bool((config.get("key_file") and config.get("cert_file")) or config.get("demo"))


def seal_problems() -> list[str]:
    """What is wrong with the configured seal (empty when all is well, or when none is configured)."""
    config = _config()
    if bool(config.get("key_file")) != bool(config.get("cert_file")):
        return ["DOCUMENTS_SEAL_KEY_FILE and DOCUMENTS_SEAL_CERT_FILE must be set together"]
    problems = []
    for name in (config.get("key_file"), config.get("cert_file"), *(config.get("chain_files") or ())):
        if name and not Path(name).is_file():
            problems.append(f"the seal file {name} does not exist")
    return problems


# --- the demo key ---------------------------------------------------------------------------


def demo_keypair() -> tuple[Path, Path]:
    """The demo seal's key and self-signed certificate (key file, certificate file), made on first use."""
    directory = Path(settings.VAR_DIR) / "documents"
    key_path, cert_path = directory / "demo-seal.key", directory / "demo-seal.crt"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".demo-seal.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (key_path.exists() and cert_path.exists()):
            key_pem, cert_pem = demo_certificate(common_name=f"Stadt {settings.PORTAL['city']} (Demo-Siegel)")
            file_write_atomic(key_path, key_pem, mode=0o600)
            file_write_atomic(cert_path, cert_pem, mode=0o644)
    return key_path, cert_path


def demo_certificate(*, common_name: str, days: int = DEMO_CERT_DAYS) -> tuple[bytes, bytes]:
    """A new P-256 key and a self-signed certificate for sealing (key usage: signature, non-repudiation), PEM."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"Stadt {settings.PORTAL['city']}"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


# --- sealing ----------------------------------------------------------------------------------


@functools.cache
def _signer(files: SealFiles) -> Any:
    """The pyHanko signer for these files, loaded once per process (a key is read from disk once)."""
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(
        str(files.key),
        str(files.cert),
        ca_chain_files=tuple(str(p) for p in files.chain),
        key_passphrase=files.password,
    )
    if signer is None:
        raise SealUnavailable(f"the seal key {files.key} or certificate {files.cert} cannot be read")
    return signer


def seal_pdf(*, pdf: bytes, reason: str, location: str) -> bytes:
    """The PDF with the city's seal (PAdES B-B certification signature, no later changes allowed)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(seal_files())
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason=reason,
        location=location,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))

    def sign() -> bytes:
        return signers.sign_pdf(writer, metadata, signer=signer).getvalue()

    # pyHanko signs through asyncio.run, which refuses to start in a thread whose event loop is running (a
    # caller inside async code, or a test process that drives a browser): there, sign in a thread of its own.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign).result()


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SealCheck:
    """What the validator found in an uploaded PDF."""

    present: bool = False  # the PDF carries a signature at all
    readable: bool = True  # the file could be read as a PDF
    intact: bool = False  # the signed bytes are unchanged
    trusted: bool = False  # made with one of our seal certificates
    unchanged_after: bool = False  # covers the whole file, nothing added after it
    signer: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.present and self.intact and self.trusted and self.unchanged_after


def _trust_roots() -> list[Any]:
    from pyhanko.keys import load_cert_from_pemder

    names = [str(seal_files().cert)] if seal_available() else []
    names += list(_config().get("trust_root_files") or ())
    return [load_cert_from_pemder(name) for name in names]


def seal_check(*, pdf: bytes) -> SealCheck:
    """Validate the seal of ``pdf`` with pyHanko's validator against our seal certificates."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis.policy_api import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        logger.info("an uploaded file is no readable PDF: %s", type(error).__name__)
        return SealCheck(readable=False)
    if not signatures:
        return SealCheck()
    context = ValidationContext(trust_roots=_trust_roots())
    # pyHanko logs every failed check (an altered file, a foreign certificate) as an error with its trace:
    # here that is an answer for the visitor, not a fault of ours.
    quiet = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.CRITICAL)
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as error:
        logger.info("an uploaded PDF's signature cannot be validated: %s", type(error).__name__)
        return SealCheck(present=True)
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)
    signer = ""
    cert = getattr(status, "signing_cert", None)
    if cert is not None:
        signer = cert.subject.native.get("common_name", "") or cert.subject.human_friendly
    return SealCheck(
        present=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        unchanged_after=status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        and status.modification_level in (None, ModificationLevel.NONE)
        and status.docmdp_ok is not False,
        signer=str(signer),
        signed_at=getattr(status, "signer_reported_dt", None),
    )
