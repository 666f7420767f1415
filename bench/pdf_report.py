"""The PDF report's time: reading its content and laying it out, national and one province,
on a database `izdes demo` (or the bot) filled and released.

    .venv/bin/python -m bench.pdf_report --database sqlite+aiosqlite:///./izdes-demo.db
"""

from __future__ import annotations

import argparse
import asyncio
import time

from admin.pdf_report.content import load_content
from admin.pdf_report.pages import report_pdf
from admin.publish import Publication
from conversations.survey import builtin_surveys
from storage.database import Database


async def measure(url: str, provinces: list[str | None], min_cell: int) -> None:
    db = Database(url)
    survey = builtin_surveys()["hizmet"]
    try:
        for province in provinces:
            wall, cpu = time.perf_counter(), time.process_time()
            content = await load_content(db, survey, Publication(min_cell), None, province)
            read_wall, read_cpu = time.perf_counter() - wall, time.process_time() - cpu
            wall, cpu = time.perf_counter(), time.process_time()
            pdf = report_pdf(content)
            laid_wall, laid_cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"{province or 'Türkiye'} {content.period}: reading {read_wall:.2f} s "
                  f"({read_cpu:.2f} s CPU), laying out {laid_wall:.2f} s ({laid_cpu:.2f} s "
                  f"CPU), {len(pdf) // 1024} KB")
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--min-cell", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(measure(args.database, [None, "34"], args.min_cell))


if __name__ == "__main__":
    main()
