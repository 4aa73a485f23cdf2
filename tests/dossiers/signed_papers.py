"""Checking a signed paper the way a recipient would: poppler's ``pdfsig``
against an NSS database that trusts only the portal's root (the demo CA of
the test database), pyHanko through ``pdf_verify``, and the text and the
position of words with ``pdftotext``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from tthc_portal.signing.models import CertificateAuthority

# Under CI=true the tools must be there (.ci/run installs them): no silent skip.
needs_poppler = pytest.mark.skipif(
    os.environ.get("CI") != "true"
    and not (shutil.which("pdfsig") and shutil.which("certutil") and shutil.which("pdftotext")),
    reason="poppler-utils (pdfsig, pdftotext) and libnss3-tools (certutil) are required",
)


def pdftotext(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "paper.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    return " ".join(out.split())


def word_boxes(pdf: bytes) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, x1, y1, x2, y2) in PDF points from the bottom-left."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "paper.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(
            ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
    words = []
    # pdftotext's own XHTML: one <page height=…> then its <word …> elements.
    for index, page in enumerate(re.split(r"<page ", html)[1:]):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        for x1, y1, x2, y2, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            words.append(
                (
                    index,
                    unescape(text),
                    float(x1),
                    height - float(y2),
                    float(x2),
                    height - float(y1),
                )
            )
    return words


def signature_widgets(pdf: bytes) -> dict[str, tuple[int, tuple[float, ...]]]:
    """Signature field name → (page index, /Rect)."""
    reader = PdfReader(BytesIO(pdf))
    found = {}
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig" or widget.get("/Parent", {}).get("/FT") == "/Sig":
                name = str(widget.get("/T") or widget["/Parent"].get("/T"))
                found[name] = (index, tuple(float(value) for value in widget["/Rect"]))
    return found


def pdfsig_report(pdf: bytes) -> str:
    """``pdfsig`` output with the portal's roots as the only trusted CAs."""
    with tempfile.TemporaryDirectory() as folder:
        nss = Path(folder) / "nss"
        nss.mkdir()
        subprocess.run(
            ["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"],
            check=True,
            capture_output=True,
        )
        for index, pem in enumerate(
            CertificateAuthority.objects.values_list("certificate_pem", flat=True)
        ):
            root = Path(folder) / f"root{index}.pem"
            root.write_text(pem)
            subprocess.run(
                ["certutil", "-A", "-d", f"sql:{nss}", "-n", f"root{index}", "-t", "C,C,C",
                 "-a", "-i", str(root)],
                check=True,
                capture_output=True,
            )  # fmt: skip
        path = Path(folder) / "paper.pdf"
        path.write_bytes(pdf)
        result = subprocess.run(
            # No -no-ocsp: poppler 22.12 then reports every certificate as an
            # "unknown issue"; the certificates carry no OCSP address anyway.
            ["pdfsig", "-nssdir", f"sql:{nss}", str(path)],
            capture_output=True,
            text=True,
        )
    return result.stdout + result.stderr


def assert_pdfsig_valid(pdf: bytes, count: int) -> str:
    report = pdfsig_report(pdf)
    assert report.count("Signature #") == count, report
    assert report.count("Signature Validation: Signature is Valid.") == count, report
    assert report.count("Certificate Validation: Certificate is Trusted.") == count, report
    return report


def assert_pyhanko_valid(pdf: bytes, count: int):
    from tthc_portal.signing.services import pdf_verify

    report = pdf_verify(pdf)
    assert report.valid and len(report.signatures) == count, report
    assert all(s.intact and s.trusted and not s.problems for s in report.signatures), report
    return report
