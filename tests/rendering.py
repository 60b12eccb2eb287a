"""What a person sees: a document rendered as a printed page and a picture (issue 20, item 5).

HTML is printed and photographed by headless Chromium; a workbook is printed by LibreOffice (one
``soffice`` call for all of them); a PDF's text and word boxes come from poppler's ``pdftotext``
and its first page as a PNG from ``pdftoppm``. Nothing here knows how the documents are made:
tests/test_screenshots.py produces them through the CLI and checks the pictures against the
forms' texts in data/.

Only the standard library and numpy (a dependency of the project): PNGs are read by a small
decoder below (Pillow is not required).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np

# the commands looked for, each under the names distributions give it
TOOLS: dict[str, tuple[str, ...]] = {
    "chromium": ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"),
    "soffice": ("soffice", "libreoffice"),
    "pdftotext": ("pdftotext",),
    "pdftoppm": ("pdftoppm",),
}
# the Debian packages that give them (.ci/run installs these)
PACKAGES = {"chromium": "chromium", "soffice": "libreoffice-calc-nogui",
            "pdftotext": "poppler-utils", "pdftoppm": "poppler-utils"}

# filled by the tests for the run's summary line (tests/conftest.py)
VERSIONS: dict[str, str] = {}

TIMEOUT = 180  # seconds for one Chromium or LibreOffice run (a cold LibreOffice start is slow)


def find_tool(name: str) -> str | None:
    for command in TOOLS[name]:
        path = shutil.which(command)
        if path:
            return path
    return None


def missing_tools() -> list[str]:
    return [name for name in TOOLS if find_tool(name) is None]


def tool_version(name: str) -> str:
    """``chromium 156.0.8078.129``, ``LibreOffice 7.4.7.2``: the first line of ``--version``
    without the vendor's decorations (``-v`` for poppler, which prints it on stderr)."""
    path = find_tool(name)
    if path is None:
        return f"{name}: not installed"
    flag = "-v" if name.startswith("pdfto") else "--version"
    run = subprocess.run([path, flag], capture_output=True, text=True, timeout=60, check=False)
    line = (run.stdout.strip() or run.stderr.strip()).splitlines()[:1]
    text = line[0] if line else name
    m = re.search(r"(\d+(?:\.\d+)+)", text)
    label = {"chromium": "chromium", "soffice": "LibreOffice"}.get(name, name)
    return f"{label} {m.group(1)}" if m else text


def _run(argv: Sequence[str], *, env: dict[str, str] | None = None,
         timeout: int = TIMEOUT) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                         env=env, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {run.returncode}: {run.stderr.strip()[-2000:]}")
    return run


# --- Chromium ---------------------------------------------------------------------------------

# a window the size of an A4 page at 150 dpi (210 × 297 mm ≈ 1240 × 1754 px)
WINDOW = (1240, 1754)


def _chromium(html: Path, what: list[str]) -> None:
    chromium = find_tool("chromium")
    assert chromium is not None
    # a fresh profile per run: parallel runs do not share (and lock) one
    with tempfile.TemporaryDirectory(prefix="osms-chromium-") as profile:
        _run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
              "--no-first-run", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--disable-extensions", f"--user-data-dir={profile}",
              *what, html.resolve().as_uri()])


def print_html(html: Path, pdf: Path, png: Path) -> tuple[Path, Path]:
    """One Chromium run: the page printed as a person does with the browser's «Print → Save as
    PDF» (without the browser's own header and footer: the date and the file's path are not
    part of the form), and a screenshot of a window the size of an A4 sheet."""
    _chromium(html, ["--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                     f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                     "--hide-scrollbars"])
    for out in (pdf, png):
        if not out.exists():
            raise RuntimeError(f"chromium wrote no {out}")
    return pdf, png


# --- LibreOffice --------------------------------------------------------------------------------


def xlsx_to_pdf(workbooks: Sequence[Path], outdir: Path, *, locale: str = "ru_RU.UTF-8") -> dict[Path, Path]:
    """All workbooks printed to PDF by one ``soffice`` call (a LibreOffice start costs seconds),
    with a fresh profile (parallel runs do not clash) and a Russian locale: numbers show as a
    fund's Excel or Calc shows them (``1 244 118,23``), paper A4."""
    soffice = find_tool("soffice")
    assert soffice is not None
    outdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, LC_ALL=locale, LANG=locale, LANGUAGE="ru")
    with tempfile.TemporaryDirectory(prefix="osms-soffice-") as profile:
        _run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
              "--norestore", "--convert-to", "pdf", "--outdir", str(outdir),
              *(str(w) for w in workbooks)], env=env)
    out = {w: outdir / (w.stem + ".pdf") for w in workbooks}
    missing = [str(w) for w, p in out.items() if not p.exists()]
    if missing:
        raise RuntimeError(f"soffice printed no PDF of {', '.join(missing)}")
    return out


# --- poppler ----------------------------------------------------------------------------------


def pdf_to_png(pdf: Path, png: Path, *, dpi: int = 60) -> Path:
    """Page 1 as a picture (``pdftoppm -png -r DPI -f 1 -l 1``)."""
    pdftoppm = find_tool("pdftoppm")
    assert pdftoppm is not None
    _run([pdftoppm, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
          str(pdf), str(png.with_suffix(""))])
    return png


def pdf_layout_text(pdf: Path) -> str:
    """The text as ``pdftotext -layout`` lays it out (pages separated by form feeds)."""
    pdftotext = find_tool("pdftotext")
    assert pdftotext is not None
    return _run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf), "-"]).stdout


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    @property
    def height(self) -> float:
        return max(self.y_max - self.y_min, 1.0)


@dataclass(frozen=True)
class Page:
    width: float  # points
    height: float
    words: tuple[Word, ...] = field(default=())

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def paper(self) -> str:
        """``A4``, ``Letter`` or ``W×H pt``: the sheet, whichever way it is turned."""
        short, long_ = sorted((self.width, self.height))
        for name, (w, h) in {"A4": (595.3, 841.9), "Letter": (612.0, 792.0)}.items():
            if abs(short - w) < 2 and abs(long_ - h) < 2:
                return name
        return f"{self.width:.0f}×{self.height:.0f} pt"

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


_X = "{http://www.w3.org/1999/xhtml}"


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page with its size and its words, each with its box (``pdftotext -bbox``)."""
    pdftotext = find_tool("pdftotext")
    assert pdftotext is not None
    xhtml = _run([pdftotext, "-bbox", "-enc", "UTF-8", str(pdf), "-"]).stdout
    root = ElementTree.fromstring(xhtml)
    return [
        Page(float(page.get("width", 0)), float(page.get("height", 0)), tuple(
            Word(w.text or "", float(w.get("xMin", 0)), float(w.get("yMin", 0)),
                 float(w.get("xMax", 0)), float(w.get("yMax", 0)))
            for w in page.iter(f"{_X}word")))
        for page in root.iter(f"{_X}page")
    ]


# --- finding the form's texts on a printed page -------------------------------------------------

_HYPHENS = "-\u00ad\u2010\u2011"  # hyphen-minus, soft hyphen, hyphen, non-breaking hyphen


def squash(text: str) -> str:
    """The text without spaces and hyphens of any kind: a header wrapped over three lines of a
    cell, or hyphenated at a line's end, compares equal to the form's one-line text."""
    return re.sub(rf"[\s{re.escape(_HYPHENS)}]+", "", text).replace("ё", "е").replace("Ё", "Е")


def leading_words(text: str, n: int) -> str:
    """A long header's first ``n`` words: distinctive enough, and not at the mercy of how its
    end is wrapped by a narrow cell."""
    return " ".join(text.split()[:n])


@dataclass(frozen=True)
class Found:
    page: int  # from 0
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def locate(pages: Sequence[Page], text: str) -> Found | None:
    """The first place where ``text`` is printed (see :func:`locate_all`), or None."""
    return next(locate_all(pages, text), None)


def locate_all(pages: Sequence[Page], text: str) -> Iterator[Found]:
    """Where ``text`` is printed, read as a person reads a cell or a paragraph: word after word
    on a line, then on the next line below within the same column, however it is wrapped or
    hyphenated; every place, page by page.

    A text cut by the edge of the page or of a cell (a clipped letter, a clipped line) is not
    found: that is what the tests are for."""
    want = squash(text)
    if not want:
        raise ValueError("nothing to look for")
    for number, page in enumerate(pages):
        words = [(w, squash(w.text)) for w in page.words]
        for first, s in words:
            # the first word may carry text before the sought one ("(ИИН);" for "ИИН")
            for k in range(len(s)):
                if k and s[k - 1].isalnum():
                    continue  # not the beginning of a word
                rest = s[k:]
                if want.startswith(rest) or _ends_word(rest, want):
                    left = _line_start(words, first)
                    chain = _chain(words, [first], want[len(rest):] if want.startswith(rest) else "",
                                   left)
                    if chain is not None:
                        yield Found(number, min(w.x_min for w in chain),
                                    min(w.y_min for w in chain), max(w.x_max for w in chain),
                                    max(w.y_max for w in chain))
                        break


def _ends_word(s: str, want: str) -> bool:
    """``s`` begins with ``want`` and carries at most punctuation after it (a colon, a
    semicolon, a footnote mark): «нарушений:» ends «нарушений», «31» does not end «3»."""
    return s.startswith(want) and not any(c.isalnum() for c in s[len(want):])


def _next_on_line(word: Word, last: Word) -> bool:
    h = last.height
    return abs(word.y_min - last.y_min) < 0.5 * h and -1 <= word.x_min - last.x_max < 1.5 * h


def _line_start(words: list[tuple[Word, str]], first: Word) -> float:
    """Where the run of words that ``first`` is in begins on its line: the left edge of its
    cell, or of its paragraph (a label may begin in the middle of a line)."""
    start, seen = first, {id(first)}
    while True:
        before = [w for w, _ in words if id(w) not in seen and _next_on_line(start, w)]
        if not before:
            return start.x_min
        start = min(before, key=lambda w: w.x_min)
        seen.add(id(start))


def _chain(words: list[tuple[Word, str]], chain: list[Word], want: str,
           left: float) -> list[Word] | None:
    if not want:
        return chain
    last = chain[-1]
    h = last.height
    x0, x1 = min(w.x_min for w in chain), max(w.x_max for w in chain)
    for word, s in words:
        if not s or word in chain:
            continue
        # the next line, below: under what was read so far (a cell's header wrapped, centred
        # or not), or from the start of the run the text began in (a paragraph going on at the
        # start of the line) up to the right end of what was read
        below = 0.5 * h < word.y_min - last.y_min < 2.5 * h
        under = word.x_min < x1 + 0.3 * h and (word.x_max > x0 - 0.3 * h
                                               or word.x_min > left - 0.5 * h)
        if not (_next_on_line(word, last) or (below and under)):
            continue
        if want.startswith(s):
            found = _chain(words, [*chain, word], want[len(s):], left)
            if found is not None:
                return found
        elif _ends_word(s, want):
            return [*chain, word]
    return None


# --- pictures -----------------------------------------------------------------------------------


def png_size(png: Path) -> tuple[int, int]:
    """Width and height from the PNG's header (IHDR)."""
    head = png.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{png} is not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def png_gray(png: Path) -> np.ndarray:
    """The picture as a 2-D array of grey levels 0–255 (8-bit, non-interlaced PNGs: what
    Chromium and pdftoppm write). Rows filtered Sub or Up are undone with numpy; Average and
    Paeth rows, a few in a page of text, byte by byte."""
    data = png.read_bytes()
    pos, idat, header = 8, [], b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or interlace or channels is None:
        raise ValueError(f"{png}: only 8-bit non-interlaced grey/RGB(A) PNGs are read here")
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        filt, row = int(raw[y, 0]), raw[y, 1:]
        if filt == 0:
            cur = row.copy()
        elif filt == 1:  # Sub: a running sum along the row, per channel, modulo 256
            cur = (np.cumsum(row.reshape(width, channels), axis=0, dtype=np.uint64) % 256) \
                .astype(np.uint8).reshape(stride)
        elif filt == 2:  # Up
            cur = row + previous  # uint8 wraps modulo 256
        else:
            cur = _unfilter_slow(filt, row, previous, channels)
        out[y] = cur
        previous = cur
    pixels = out.reshape(height, width, channels).astype(np.float32)
    grey = pixels[..., 0] if channels <= 2 else pixels[..., :3] @ np.array([0.299, 0.587, 0.114])
    if channels in (2, 4):  # over a white sheet
        alpha = pixels[..., -1] / 255
        grey = grey * alpha + 255 * (1 - alpha)
    return np.asarray(np.clip(grey, 0, 255).astype(np.uint8))


def _unfilter_slow(kind: int, row: np.ndarray, previous: np.ndarray, bpp: int) -> np.ndarray:
    line, up = row.tolist(), previous.tolist()
    cur = [0] * len(line)
    for i, value in enumerate(line):
        a = cur[i - bpp] if i >= bpp else 0
        b = up[i]
        if kind == 3:
            cur[i] = (value + (a + b) // 2) & 0xFF
        elif kind == 4:
            c = up[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[i] = (value + predictor) & 0xFF
        else:
            raise ValueError(f"PNG filter type {kind}")
    return np.array(cur, dtype=np.uint8)


def ink(grey: np.ndarray) -> float:
    """The share of the picture's pixels that are dark (text, rules): 0 for a blank sheet."""
    return float((grey < 128).mean())
