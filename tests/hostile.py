"""Hostile and broken input files, built on the spot: damaged, looping, encrypted and bomb PDFs,
malformed and oddly encoded HTML, Markdown that strains regular expressions.

Most PDFs are written object by object (`raw_pdf`), so that each defect is exactly the one named.
`python -m tests.hostile MAP` writes every file into a folder, for `scripts/robustheid.py`
(the slow ones included).
"""

from __future__ import annotations

import hashlib
import os
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path, PosixPath

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from tests.builders import NEWS_PAGE, encrypt_pdf, write_pdf

SENTENCE = "Dit is leesbare tekst over de aanpak van woninginbraak in de regio Rotterdam."
CYRILLIC = "Профилактика преступности в районе"
ARABIC = "الوقاية من الجريمة في الحي"
# Where Debian's fonts-dejavu-core puts the one font we embed; it covers Cyrillic and Arabic.
DEJAVU_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
)
ENCRYPTION_ALGORITHMS = ("RC4-40", "RC4-128", "AES-128", "AES-256-R5", "AES-256")


# --- raw PDF writing -------------------------------------------------------------------------


def raw_pdf(objects: Sequence[bytes], root: int = 1, info: int | None = None) -> bytes:
    """A PDF whose object n is `objects[n - 1]`, with a correct cross-reference table; `info` is
    the number of the document info object."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_entry = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        info_entry,
        xref,
    )
    return bytes(out)


def stream(data: bytes, entries: bytes = b"", length: int | None = None) -> bytes:
    declared = len(data) if length is None else length
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (declared, entries, data)


def text_ops(text: str, y: int = 720, font: bytes = b"/F1") -> bytes:
    escaped = text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"BT %s 12 Tf 72 %d Td (%s) Tj ET\n" % (font, y, escaped)


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
FLATE = b"/Filter /FlateDecode"


def _page(parent: int, contents: bytes, resources: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %s %s >>" % (
        parent,
        resources,
        contents,
        extra,
    )


def simple_pdf(pages: Sequence[bytes]) -> bytes:
    """One content stream per page, all with Helvetica as /F1; objects 1-3 are catalog, pages, font."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", HELVETICA]
    kids = []
    for content in pages:
        objects.append(stream(content))
        objects.append(_page(2, b"%d 0 R" % len(objects), b"<< /Font << /F1 3 0 R >> >>"))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return raw_pdf(objects)


# --- PDFs ------------------------------------------------------------------------------------

REPORT = [
    [f"Hoofdstuk {n}: bevindingen over woninginbraak en de aanpak in de wijk, deel {n}." for _ in range(8)]
    for n in range(1, 6)
]


def good_pdf(path: Path) -> Path:
    return write_pdf(path, REPORT, title="Rapport woninginbraak", author="VAR")


def truncated_pdf(fraction: float) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        data = good_pdf(path).read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])
        return path

    return build


def without_eof(path: Path) -> Path:
    """The last bytes gone: no %%EOF, no startxref offset, as a download that stopped at the end."""
    data = good_pdf(path).read_bytes()
    path.write_bytes(data[: data.rindex(b"startxref")])
    return path


def without_startxref(path: Path) -> Path:
    """Everything there except the startxref keyword and its offset."""
    data = good_pdf(path).read_bytes()
    start = data.rindex(b"startxref")
    path.write_bytes(data[:start] + data[data.index(b"%%EOF", start) :])
    return path


def page_tree_with_itself_as_kid(path: Path) -> Path:
    path.write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                _page(2, b"5 0 R", b"<< /Font << /F1 4 0 R >> >>"),
                HELVETICA,
                stream(text_ops(SENTENCE)),
            ]
        )
    )
    return path


def page_tree_with_ancestor_as_kid(path: Path) -> Path:
    path.write_bytes(
        raw_pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [6 0 R] /Count 2 >>",
                _page(6, b"5 0 R", b"<< /Font << /F1 4 0 R >> >>"),
                HELVETICA,
                stream(text_ops(SENTENCE)),
                b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R 2 0 R] /Count 2 >>",
            ]
        )
    )
    return path


def deep_page_tree(path: Path, depth: int = 101) -> Path:
    """The one page sits under 101 levels of /Pages nodes (pypdf stops at 100 by default)."""
    objects = [b"", HELVETICA, stream(text_ops(SENTENCE))]
    first_node = len(objects) + 1
    for level in range(depth):
        number = first_node + level
        parent = b"/Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages %s /Kids [%d 0 R] /Count 1 >>" % (parent, number + 1))
    objects.append(_page(first_node + depth - 1, b"3 0 R", b"<< /Font << /F1 2 0 R >> >>"))
    objects[0] = b"<< /Type /Catalog /Pages %d 0 R >>" % first_node
    path.write_bytes(raw_pdf(objects))
    return path


LOOPING_PAGES = (
    "Inleiding over buurtbemiddeling.",
    "Aanpak van fietsendiefstal in de wijk.",
    "Evaluatie van cameratoezicht.",
)
LOOPING_INFO = (
    b"<< /Title (Evaluatie wijkaanpak) /Author (Gemeente Vlaardingen) /CreationDate (D:20190314120000+01'00') >>"
)


def looping_page_tree_with_pages(path: Path) -> Path:
    """Three pages of text (`LOOPING_PAGES`) whose page tree also lists itself as a kid; object 4
    is the document info (`LOOPING_INFO`)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", HELVETICA, LOOPING_INFO]
    kids = [b"2 0 R"]
    for text in LOOPING_PAGES:
        objects.append(stream(text_ops(text)))
        objects.append(_page(2, b"%d 0 R" % len(objects), b"<< /Font << /F1 3 0 R >> >>"))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(LOOPING_PAGES))
    path.write_bytes(raw_pdf(objects, info=4))
    return path


def broken_lzw_before_text(path: Path) -> Path:
    """The page's first content stream claims LZW but is not (pypdf gives up on the page); its
    second holds the text."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        HELVETICA,
        _page(2, b"[5 0 R 6 0 R]", b"<< /Font << /F1 3 0 R >> >>"),
        stream(b"Niet echt gecomprimeerd.", b"/Filter /LZWDecode"),
        stream(text_ops(SENTENCE)),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def page_tree_bomb(path: Path, fanout: int = 10, depth: int = 6) -> Path:
    """Each /Pages node lists the next one `fanout` times: 10**6 pages from a file of 1 kB."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", HELVETICA, stream(text_ops(SENTENCE))]
    first_node = len(objects) + 1
    for level in range(depth):
        number = first_node + level
        child = number + 1
        kids = b" ".join([b"%d 0 R" % child] * fanout)
        parent = b"/Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages %s /Kids [%s] /Count %d >>" % (parent, kids, fanout ** (depth - level)))
    objects.append(_page(first_node + depth - 1, b"3 0 R", b"<< /Font << /F1 2 0 R >> >>"))
    objects[0] = b"<< /Type /Catalog /Pages %d 0 R >>" % first_node
    path.write_bytes(raw_pdf(objects))
    return path


def _form(content: bytes, xobjects: bytes) -> bytes:
    resources = b"<< /Font << /F1 4 0 R >> /XObject << %s >> >>" % xobjects
    return stream(content, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources %s" % resources)


def _xobject_pdf(forms: Sequence[bytes], page_draws: bytes) -> bytes:
    """Page text plus `page_draws`; the form XObjects are objects 6, 7, ..."""
    names = b" ".join(b"/X%d %d 0 R" % (i, 6 + i) for i in range(len(forms)))
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, b"5 0 R", b"<< /Font << /F1 4 0 R >> /XObject << %s >> >>" % names),
            HELVETICA,
            stream(text_ops(SENTENCE) + page_draws),
            *forms,
        ]
    )


def xobject_drawing_itself(path: Path) -> Path:
    form = _form(text_ops("Tekst in een vorm die zichzelf tekent.", 600) + b"/X0 Do\n", b"/X0 6 0 R")
    path.write_bytes(_xobject_pdf([form], b"/X0 Do\n"))
    return path


def xobjects_drawing_each_other(path: Path) -> Path:
    first = _form(text_ops("Eerste vorm.", 600) + b"/X1 Do\n", b"/X1 7 0 R")
    second = _form(text_ops("Tweede vorm.", 500) + b"/X0 Do\n", b"/X0 6 0 R")
    path.write_bytes(_xobject_pdf([first, second], b"/X0 Do\n"))
    return path


def xobject_fan_out(path: Path, depth: int = 40) -> Path:
    """No cycle, but each form draws the next one twice: 2**40 form invocations."""
    forms = []
    for level in range(depth):
        if level + 1 < depth:
            draws, names = b"/X%d Do /X%d Do\n" % (level + 1, level + 1), b"/X%d %d 0 R" % (level + 1, 7 + level)
        else:
            draws, names = b"", b""
        forms.append(_form(text_ops("Vorm.", 400) + draws, names))
    path.write_bytes(_xobject_pdf(forms, b"/X0 Do\n"))
    return path


def _garbage(size: int, seed: int) -> bytes:
    return hashlib.shake_256(b"kennisbank-%d" % seed).digest(size)


def broken_flate_first_page(path: Path) -> Path:
    """Page 1's content stream is not valid FlateDecode data; page 2 is fine."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R 6 0 R] /Count 2 >>",
        HELVETICA,
        _page(2, b"5 0 R", b"<< /Font << /F1 3 0 R >> >>"),
        stream(b"x\x9c" + _garbage(400, 1), b"/Filter /FlateDecode"),
        _page(2, b"7 0 R", b"<< /Font << /F1 3 0 R >> >>"),
        stream(zlib.compress(text_ops(SENTENCE)), b"/Filter /FlateDecode"),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def broken_flate_only_page(path: Path) -> Path:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        HELVETICA,
        _page(2, b"5 0 R", b"<< /Font << /F1 3 0 R >> >>"),
        stream(_garbage(400, 2), b"/Filter /FlateDecode"),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def cut_flate(path: Path) -> Path:
    """A FlateDecode stream cut off halfway: the first sentences are still there."""
    content = b"".join(text_ops(f"{SENTENCE} Regel {n}.", 800 - 14 * n) for n in range(40))
    data = zlib.compress(content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        HELVETICA,
        _page(2, b"5 0 R", b"<< /Font << /F1 3 0 R >> >>"),
        stream(data[: len(data) // 2], b"/Filter /FlateDecode"),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def image_only_pdf(path: Path) -> Path:
    """One page with a real image XObject (a grey gradient) and no text at all, like a scan."""
    pixels = bytes((x + y) % 256 for y in range(200) for x in range(200))
    image = stream(
        zlib.compress(pixels),
        b"/Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode",
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>",
        _page(2, b"4 0 R", b"<< /XObject << /Im0 5 0 R >> >>"),
        stream(b"q 400 0 0 400 100 200 cm /Im0 Do Q\n"),
        image,
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def many_pages_pdf(path: Path, pages: int = 320) -> Path:
    return write_pdf(
        path, [[f"Pagina {n}: verslag van casus {n * 7} over woninginbraak."] for n in range(1, pages + 1)]
    )


def dejavu_font() -> Path | None:
    return next((path for path in DEJAVU_CANDIDATES if path.exists()), None)


def _truetype_pdf(path: Path, text: str) -> Path | None:
    font = dejavu_font()
    if font is None:
        return None
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(font)))
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setFont("DejaVuSans", 14)
    for line in range(5):
        canvas.drawString(20 * mm, 250 * mm - line * 10 * mm, text)
    canvas.showPage()
    canvas.save()
    return path


def cyrillic_truetype(path: Path) -> Path | None:
    """Cyrillic in an embedded TrueType subset (ReportLab writes a ToUnicode map); None without DejaVu."""
    return _truetype_pdf(path, CYRILLIC)


def arabic_truetype(path: Path) -> Path | None:
    """Arabic letters in an embedded TrueType subset (unshaped: ReportLab does not join letters)."""
    return _truetype_pdf(path, ARABIC)


def _to_unicode_cmap(first: int, last: int, unicode_start: int) -> bytes:
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfrange <%02X> <%02X> <%04X> endbfrange "
        b"endcmap CMapName currentdict /CMap defineresource pop end end" % (first, last, unicode_start)
    )


def cyrillic_to_unicode(path: Path) -> Path:
    """No embedded font: a simple font whose codes 0xC0-0xFF map to А-я through a ToUnicode CMap."""
    encoded = CYRILLIC.encode("cp1251")  # cp1251 puts А-я at 0xC0-0xFF, in Unicode order
    content = b"".join(b"BT /F1 12 Tf 72 %d Td <%s> Tj ET\n" % (720 - 20 * n, encoded.hex().encode()) for n in range(3))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(2, b"4 0 R", b"<< /Font << /F1 5 0 R >> >>"),
        stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        stream(_to_unicode_cmap(0xC0, 0xFF, 0x0410)),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def font_without_unicode_map(path: Path) -> Path:
    """A font whose encoding renames every glyph (/g65, /g66, ...) and has no ToUnicode map."""
    differences = b" ".join(b"/g%d" % code for code in range(32, 127))
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Onbekend "
        b"/Encoding << /Type /Encoding /Differences [32 %s] >> >>" % differences
    )
    content = b"".join(text_ops(SENTENCE, 720 - 20 * n) for n in range(5))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(2, b"4 0 R", b"<< /Font << /F1 5 0 R >> >>"),
        stream(content),
        font,
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def cid_font_without_unicode_map(path: Path) -> Path:
    """A Type0 font with Identity-H codes and no ToUnicode: the codes are glyph ids, not letters."""
    glyph_ids = b"".join(b"%04X" % (0x24 + (ord(ch) - 65) % 60) for ch in SENTENCE)
    content = b"".join(b"BT /F1 12 Tf 72 %d Td <%s> Tj ET\n" % (720 - 20 * n, glyph_ids) for n in range(5))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(2, b"4 0 R", b"<< /Font << /F1 5 0 R >> >>"),
        stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Geheim /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Geheim "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 >>",
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def encrypted(algorithm: str, user_password: str) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        source = good_pdf(path.with_name(f".bron-{path.name}"))
        encrypt_pdf(source, path, user_password, algorithm)
        source.unlink()
        return path

    return build


def _same_length(old: bytes, new: bytes) -> bytes:
    return new + b" " * (len(old) - len(new))


def certificate_encrypted(path: Path) -> Path:
    """Protected with a security handler other than the standard password one (as certificate
    security is): pypdf raises NotImplementedError."""
    encrypted("AES-128", "")(path)
    old = b"/Filter /Standard"
    path.write_bytes(path.read_bytes().replace(old, _same_length(old, b"/Filter /PubSec")))
    return path


def unknown_crypt_method(path: Path) -> Path:
    """The standard handler with a crypt filter method that does not exist (/CFM /XYZ)."""
    encrypted("AES-128", "")(path)
    old = b"/CFM /AESV2"
    path.write_bytes(path.read_bytes().replace(old, _same_length(old, b"/CFM /XYZ")))
    return path


def unknown_filter_first_page(path: Path) -> Path:
    """Page 1's content stream has a filter nobody knows (pypdf: NotImplementedError); page 2 is fine."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R 6 0 R] /Count 2 >>",
        HELVETICA,
        _page(2, b"5 0 R", b"<< /Font << /F1 3 0 R >> >>"),
        stream(b"BT ET", b"/Filter /OnbekendDecode"),
        _page(2, b"7 0 R", b"<< /Font << /F1 3 0 R >> >>"),
        stream(text_ops(SENTENCE)),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def not_a_pdf(path: Path) -> Path:
    """A ZIP archive (an Office document, say) that was given a .pdf name."""
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + _garbage(2000, 3))
    return path


def zlib_zeros(size_mib: int) -> bytes:
    """A valid zlib stream of `size_mib` MiB of zero bytes, built without compressing them all:
    after a full flush every MiB of zeros compresses to the same block, so the block is repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(2**20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    size = size_mib * 2**20
    adler = ((size % 65521) << 16) | 1  # Adler-32 of zeros: a stays 1, b grows by 1 per byte
    return b"\x78\xda" + block * size_mib + compressor.flush() + adler.to_bytes(4, "big")


def flate_bomb(path: Path) -> Path:
    """One content stream that inflates to 1 GiB of zeros, in a file of 1 MB."""
    path.write_bytes(simple_pdf([b""]).replace(stream(b""), stream(zlib_zeros(1024), b"/Filter /FlateDecode")))
    return path


def double_flate_bomb(path: Path) -> Path:
    """The same 1 GiB compressed twice ([/FlateDecode /FlateDecode]): a file of a few kB."""
    data = zlib.compress(zlib_zeros(1024), 9)
    path.write_bytes(
        simple_pdf([b""]).replace(stream(b""), stream(data, b"/Filter [/FlateDecode /FlateDecode]")),
    )
    return path


def shared_stream_bomb(path: Path, size_mib: int = 64, copies: int = 100) -> Path:
    """A page whose /Contents lists one 64 MiB stream (each within pypdf's per-stream limit) 100
    times: 6.4 GB of content from a file of 70 kB."""
    spaces = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = spaces.compress(b" " * 2**20) + spaces.flush(zlib.Z_FULL_FLUSH)
    adler = zlib.adler32(b" " * 2**20)
    for _ in range(size_mib - 1):
        adler = zlib.adler32(b" " * 2**20, adler)
    data = b"\x78\xda" + block * size_mib + spaces.flush() + adler.to_bytes(4, "big")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(2, b"[%s]" % b" ".join([b"5 0 R"] * copies), b"<< /Font << /F1 4 0 R >> >>"),
        HELVETICA,
        stream(data, b"/Filter /FlateDecode"),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


def memory_bomb(path: Path, pages: int = 20, size_mib: int = 70) -> Path:
    """Twenty pages, each with its own content stream of 70 MiB of zeros (within pypdf's limit per
    stream), compressed twice: pypdf keeps every decoded stream, 1.4 GB in all, from a file of 40 kB."""
    data = zlib.compress(zlib_zeros(size_mib), 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", HELVETICA]
    kids = []
    for _ in range(pages):
        objects.append(stream(data, b"/Filter [/FlateDecode /FlateDecode]"))
        objects.append(_page(2, b"%d 0 R" % len(objects), b"<< /Font << /F1 3 0 R >> >>"))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    path.write_bytes(raw_pdf(objects))
    return path


def text_bomb(path: Path, pages: int = 300) -> Path:
    """300 pages that all show one content stream of 16 strings of 60 kB: 300 MB of text from a
    file of 5 kB, about a second of pypdf's time per page. Only a time limit stops it."""
    line = b"(" + b"Tekst " * 10_000 + b") Tj 0 -1 Td "
    content = b"BT /F1 1 Tf 0 0 Td " + line * 16 + b"ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", HELVETICA, stream(zlib.compress(content, 9), FLATE)]
    kids = []
    for _ in range(pages):
        objects.append(_page(2, b"4 0 R", b"<< /Font << /F1 3 0 R >> >>"))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    path.write_bytes(raw_pdf(objects))
    return path


def huge_declared_length(path: Path) -> Path:
    """A content stream that claims to be 10**15 bytes long."""
    content = text_ops(SENTENCE)
    path.write_bytes(simple_pdf([content]).replace(stream(content), stream(content, length=10**15)))
    return path


def deeply_nested_object(path: Path, depth: int = 100_000) -> Path:
    """The page dictionary holds an array nested 100,000 deep."""
    nested = b"[" * depth + b"]" * depth
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(2, b"5 0 R", b"<< /Font << /F1 4 0 R >> >>", b"/Diep %s" % nested),
        HELVETICA,
        stream(text_ops(SENTENCE)),
    ]
    path.write_bytes(raw_pdf(objects))
    return path


# --- HTML, Markdown, text --------------------------------------------------------------------

ARTICLE = (
    "<p>De gemeente Schiedam werkt met wijkagenten en jongerenwerkers aan de coördinatie van de aanpak "
    "van woninginbraak. Bewoners melden verdachte situaties via de buurtapp.</p>"
)


def malformed_html(path: Path) -> Path:
    path.write_bytes(
        b"<html><head><title>Kapotte opmaak</title><body><div class=x><p>Eerste alinea over de "
        b"<b>wijkaanpak <i>en de buurtpreventie</b> in Vlaardingen</i><p <b>>Tweede alinea\x00 zonder "
        b"afsluiting <table><tr><td>cel over woninginbraak<td><div></span></div></div></div></body>"
        b"<!-- nooit gesloten commentaar <p>verborgen</p>"
    )
    return path


def huge_html(path: Path, megabytes: int = 3) -> Path:
    paragraph = ARTICLE.encode()
    count = megabytes * 2**20 // len(paragraph)
    path.write_bytes(b"<html><body><main><h1>Groot verslag</h1>" + paragraph * count + b"</main></body></html>")
    return path


def deeply_nested_html(path: Path, depth: int = 100_000) -> Path:
    path.write_bytes(
        b"<html><body>" + b"<div>" * depth + ARTICLE.encode() + b"</div>" * depth + b"</body></html>",
    )
    return path


def unclosed_nested_html(path: Path, depth: int = 100_000) -> Path:
    """100,000 opened <span>s and <b>s that are never closed, around real text."""
    path.write_bytes(b"<html><body>" + ARTICLE.encode() + b"<span><b>" * depth + b"einde</body></html>")
    return path


def scripts_and_styles_html(path: Path) -> Path:
    noise = "<script>var geheim = 'scriptwoord';" + "x = 1;" * 20_000 + "</script><style>.stijlwoord{}</style>"
    path.write_text(
        f"<html><head>{noise}</head><body>{noise}<main>{ARTICLE}{noise}</main>"
        "<script>document.write('<p>scriptwoord</p>')</script></body></html>",
        encoding="utf-8",
    )
    return path


ACCENTED = "Café één: ideeën over de coördinatie van de aanpak, € 25 per deelnemer."


def windows_1252_html(path: Path) -> Path:
    path.write_bytes(f"<html><body><p>{ACCENTED}</p></body></html>".encode("cp1252"))
    return path


def utf8_bom_html(path: Path) -> Path:
    path.write_bytes(f"\ufeff<html><body><p>{ACCENTED}</p></body></html>".encode())
    return path


def wrong_charset_html(path: Path) -> Path:
    """Declares iso-8859-1 while the bytes are UTF-8, as a template copied from an old site does."""
    path.write_bytes(
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"</head><body><p>{ACCENTED}</p></body></html>".encode()
    )
    return path


def title_with_whitespace_html(path: Path) -> Path:
    """A title with a run of a million spaces (a naive 'site name' regular expression is quadratic)."""
    path.write_text(
        f"<html><head><title>Verslag{' ' * 1_000_000}x</title></head><body>{ARTICLE}</body></html>", encoding="utf-8"
    )
    return path


def blank_lines_markdown(path: Path) -> Path:
    """Text, then 200,000 blank lines (line-start patterns with \\s* go quadratic), then text."""
    path.write_text(f"# Notitie\n\n{SENTENCE}\n" + "\n" * 200_000 + " \n" * 50_000 + f"{SENTENCE}\n", encoding="utf-8")
    return path


def unclosed_emphasis_markdown(path: Path) -> Path:
    """One line of 100,000 opening asterisks that never close."""
    path.write_text(f"# Notitie\n\n{SENTENCE}\n\n" + "*a " * 100_000 + "\n", encoding="utf-8")
    return path


def front_matter_with_structures(path: Path) -> Path:
    """Front matter whose kind is a list and whose title is a mapping: valid YAML, wrong shapes."""
    path.write_text(
        f"---\ntype: [handreiking, factsheet]\ntitle: {{nl: Notitie}}\ndatum: [2024]\n---\n# Notitie\n\n{SENTENCE}\n",
        encoding="utf-8",
    )
    return path


def front_matter_alias_bomb(path: Path) -> Path:
    """YAML aliases that multiply: nine levels of nine references, 387 million strings if expanded."""
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    lines += ["themas: *a9", "---", "# Notitie", "", SENTENCE, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def front_matter_impossible_date(path: Path) -> Path:
    """A date that YAML recognises as one but that does not exist: 30 February."""
    path.write_text(f"---\ndatum: 2024-02-30\n---\n# Notitie\n\n{SENTENCE}\n", encoding="utf-8")
    return path


def binary_text(path: Path) -> Path:
    path.write_bytes(_garbage(50_000, 4))
    return path


def good_html(path: Path) -> Path:
    path.write_text(NEWS_PAGE, encoding="utf-8")
    return path


def good_markdown(path: Path) -> Path:
    path.write_text(
        f"# Notitie wijkaanpak\n\n{SENTENCE} Afspraken over de buurtpreventie in Vlaardingen.\n", encoding="utf-8"
    )
    return path


def _end_process(code: int) -> None:
    os._exit(code)


class DyingPath(PosixPath):
    """A path whose unpickling ends the worker process that receives it, with exit code 3: a
    stand-in for a parser crashing in C code (no real file does so reliably)."""

    def __reduce__(self) -> tuple[Callable[[int], None], tuple[int]]:
        return _end_process, (3,)


# Every file this module can build, by file name.
BUILDERS: dict[str, Callable[[Path], Path | None]] = {
    "goed-rapport.pdf": good_pdf,
    "goed-nieuws.html": good_html,
    "goed-notitie.md": good_markdown,
    "afgekapt-5.pdf": truncated_pdf(0.05),
    "afgekapt-40.pdf": truncated_pdf(0.4),
    "afgekapt-80.pdf": truncated_pdf(0.8),
    "afgekapt-zonder-eof.pdf": without_eof,
    "zonder-startxref.pdf": without_startxref,
    "paginaboom-zichzelf.pdf": page_tree_with_itself_as_kid,
    "paginaboom-voorouder.pdf": page_tree_with_ancestor_as_kid,
    "paginaboom-bom.pdf": page_tree_bomb,
    "paginaboom-101-diep.pdf": deep_page_tree,
    "paginaboom-lus-drie-paginas.pdf": looping_page_tree_with_pages,
    "kapotte-lzw-stroom.pdf": broken_lzw_before_text,
    "xobject-zichzelf.pdf": xobject_drawing_itself,
    "xobject-kringloop.pdf": xobjects_drawing_each_other,
    "xobject-waaier.pdf": xobject_fan_out,
    "kapotte-stroom-eerste-pagina.pdf": broken_flate_first_page,
    "kapotte-stroom-enige-pagina.pdf": broken_flate_only_page,
    "afgebroken-stroom.pdf": cut_flate,
    **{f"versleuteld-{alg.lower()}-leeg.pdf": encrypted(alg, "") for alg in ENCRYPTION_ALGORITHMS},
    **{f"versleuteld-{alg.lower()}-wachtwoord.pdf": encrypted(alg, "geheim") for alg in ENCRYPTION_ALGORITHMS},
    "versleuteld-certificaat.pdf": certificate_encrypted,
    "versleuteld-onbekende-methode.pdf": unknown_crypt_method,
    "onbekend-filter-eerste-pagina.pdf": unknown_filter_first_page,
    "alleen-afbeelding.pdf": image_only_pdf,
    "lang-320-paginas.pdf": many_pages_pdf,
    "cyrillisch-truetype.pdf": cyrillic_truetype,
    "arabisch-truetype.pdf": arabic_truetype,
    "cyrillisch-tounicode.pdf": cyrillic_to_unicode,
    "font-zonder-unicode.pdf": font_without_unicode_map,
    "cidfont-zonder-unicode.pdf": cid_font_without_unicode_map,
    "leeg.pdf": zero_bytes,
    "geen-pdf.pdf": not_a_pdf,
    "bom-flate.pdf": flate_bomb,
    "bom-dubbele-flate.pdf": double_flate_bomb,
    "bom-gedeelde-stroom.pdf": shared_stream_bomb,
    "bom-geheugen.pdf": memory_bomb,
    "bom-lengte.pdf": huge_declared_length,
    "diep-genest-object.pdf": deeply_nested_object,
    "kapotte-opmaak.html": malformed_html,
    "enorm.html": huge_html,
    "diep-genest.html": deeply_nested_html,
    "nooit-gesloten.html": unclosed_nested_html,
    "scripts-en-stijlen.html": scripts_and_styles_html,
    "windows-1252.html": windows_1252_html,
    "utf8-bom.html": utf8_bom_html,
    "verkeerde-charset.html": wrong_charset_html,
    "titel-spaties.html": title_with_whitespace_html,
    "lege-regels.md": blank_lines_markdown,
    "open-nadruk.md": unclosed_emphasis_markdown,
    "front-matter-structuren.md": front_matter_with_structures,
    "front-matter-aliasbom.md": front_matter_alias_bomb,
    "front-matter-onmogelijke-datum.md": front_matter_impossible_date,
    "binair.txt": binary_text,
}


# Files that only a time limit stops: left out of a batch unless asked for, as they cost the limit.
SLOW_BUILDERS: dict[str, Callable[[Path], Path | None]] = {"tekstbom.pdf": text_bomb}


def write_all(folder: Path, slow: bool = False) -> list[Path]:
    """Build every file into `folder`; files whose ingredients are missing (a font) are left out."""
    folder.mkdir(parents=True, exist_ok=True)
    builders = {**BUILDERS, **SLOW_BUILDERS} if slow else BUILDERS
    return [path for name, build in builders.items() if (path := build(folder / name)) is not None]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("gebruik: python -m tests.hostile MAP")
    for written in write_all(Path(sys.argv[1]), slow=True):
        print(written)
