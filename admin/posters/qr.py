"""QR codes for a muhtar's link (segno), as files and as a module grid for the PDF."""

from __future__ import annotations

import io

import segno

# Level Q survives a quarter of the code being smudged or torn: posters live on notice
# boards and coffee-house walls.
ERROR_LEVEL = "q"


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


def qr_png(url: str, scale: int = 12) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=10, border=4, xmldecl=True,
                      title="İZDES", svgclass=None, lineclass=None)
    return buffer.getvalue()


def dark_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The code's size in modules and its dark modules as horizontal runs (row, column,
    length): drawn as rectangles they make a vector QR code that prints sharp at any size."""
    matrix = qr_code(url).matrix
    runs = []
    for row, modules in enumerate(matrix):
        column = 0
        while column < len(modules):
            if modules[column]:
                start = column
                while column < len(modules) and modules[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return len(matrix), runs
