"""Reference numbers like ``KS-2026-004711-3`` and access codes.

The last digit is a Damm check digit over year and number: it catches every
single-digit typo and every swap of two adjacent digits, so a mistyped number
is recognised as such instead of finding someone else's application.
"""

import re
import secrets

from django.conf import settings
from django.db import connection
from django.utils.crypto import constant_time_compare, salted_hmac
from stdnum import damm

from .models import ReferenceCounter

REFERENCE_RE = re.compile(r"^([A-Z]{2,8})-?(\d{4})-?(\d{6})-?(\d)$")
ACCESS_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def reference_format(*, prefix: str, year: int, number: int) -> str:
    body = f"{year}{number:06d}"
    return f"{prefix}-{year}-{number:06d}-{damm.calc_check_digit(body)}"


def reference_normalize(raw: str) -> str | None:
    """The canonical form of a typed reference number, or None if it cannot be one (wrong check digit)."""
    cleaned = re.sub(r"[\s\u2010-\u2015]", "-", (raw or "").strip().upper())
    cleaned = re.sub(r"[^A-Z0-9-]", "", cleaned).replace("--", "-")
    match = REFERENCE_RE.match(cleaned)
    if not match:
        return None
    prefix, year, number, check = match.groups()
    if not damm.is_valid(f"{year}{number}{check}"):
        return None
    return f"{prefix}-{year}-{number}-{check}"


def _counter_increment(*, prefix: str, year: int) -> int | None:
    """Add one to the year's counter and return the new value, in one statement that locks the row
    until the transaction ends; None if the year has no counter yet."""
    quote = connection.ops.quote_name
    # Only the model's own table and column names are put into the text; the values are parameters.
    sql = (
        f"UPDATE {quote(ReferenceCounter._meta.db_table)} SET {quote('last')} = {quote('last')} + 1 "  # noqa: S608
        f"WHERE {quote('prefix')} = %s AND {quote('year')} = %s RETURNING {quote('last')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, year])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def counter_next(*, prefix: str, year: int) -> int:
    """The next number of a yearly counter (reference numbers, Kassenzeichen). Call inside the transaction
    that uses it.

    One ``UPDATE … RETURNING`` (PostgreSQL, SQLite 3.35+) takes the number: it locks the counter's row
    until the transaction commits, so two callers never get the same number, and costs one statement
    instead of a read, a locking read and a write. Only the year's first number creates the row.
    """
    number = _counter_increment(prefix=prefix, year=year)
    if number is None:  # the first number of the year: make the counter (a parallel request may win)
        ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        number = _counter_increment(prefix=prefix, year=year)
        assert number is not None  # the row exists now, so the increment found it
    return number


def reference_allocate(*, year: int) -> str:
    """The next reference number of the year. Call inside the submission's transaction."""
    prefix = settings.REFERENCE_PREFIX
    return reference_format(prefix=prefix, year=year, number=counter_next(prefix=prefix, year=year))


def access_code_new() -> str:
    raw = "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def access_code_hash(code: str) -> str:
    normalized = re.sub(r"[^A-Z0-9]", "", (code or "").upper())
    return salted_hmac("amtsweg.access-code", normalized, algorithm="sha256").hexdigest()


def access_code_matches(code: str, hashed: str) -> bool:
    return constant_time_compare(access_code_hash(code), hashed)
