"""Reading generated PDFs back in tests, with poppler's command-line tools (apt-get install poppler-utils)."""

import contextlib
import re
import shutil
import subprocess
import zlib

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils (apt-get install poppler-utils)")
    return path


def pdf_text(data: bytes) -> str:
    """The text of a PDF as pdftotext reads it (what a screen reader or a copy-and-paste gets)."""
    result = subprocess.run([_tool("pdftotext"), "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdf_info(data: bytes) -> dict[str, str]:
    result = subprocess.run([_tool("pdfinfo"), "-"], input=data, capture_output=True, check=True)
    info = {}
    for line in result.stdout.decode("utf-8").splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def pdf_fonts(data: bytes) -> str:
    return subprocess.run([_tool("pdffonts"), "-"], input=data, capture_output=True, check=True).stdout.decode()


def pdf_objects(data: bytes) -> bytes:
    """All objects of the PDF with their compressed streams inflated, for looking up catalogue entries."""
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"\n".join(parts)
