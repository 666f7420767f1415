"""The admin dashboard: one HTML page at "/" and its own files under "/dashboard/".

The page is plain HTML, CSS and JavaScript from this package (no CDN, nothing fetched from
elsewhere). It has no session of its own: the admin types a token, the browser keeps it in
sessionStorage and sends it as the Bearer header to /api/v1, which does all the checking.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

HERE = Path(__file__).parent
PAGE = HERE / "templates" / "index.html"
STATIC = HERE / "static"
STATIC_PREFIX = "/dashboard/"

# A fixed list rather than a directory listing: only these names can be fetched, each with
# a type the browser will not second-guess (nosniff below).
STATIC_FILES = {
    "dashboard.js": "text/javascript; charset=utf-8",
    "findings.js": "text/javascript; charset=utf-8",
    "reevaluation.js": "text/javascript; charset=utf-8",
    "dashboard.css": "text/css; charset=utf-8",
    "provinces.geojson": "application/geo+json",
    "icon.svg": "image/svg+xml",
    "SOURCES.md": "text/plain; charset=utf-8",  # shown in the browser, not downloaded
}

# Only this server may supply scripts, styles, data and images: an injected script or a
# tampered copy of a file elsewhere cannot run. No inline script or style is needed.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # Revalidate every time (cheap: ETag/Last-Modified), so a new release shows at once.
    "Cache-Control": "no-cache",
}


def add_dashboard_routes(app: web.Application) -> None:
    """Serve the page at "/" and its files under "/dashboard/" on `app`."""
    app.router.add_get("/", dashboard_page)
    app.router.add_get(STATIC_PREFIX + "{name}", dashboard_file)


async def dashboard_page(_: web.Request) -> web.FileResponse:
    return web.FileResponse(PAGE, headers={
        **SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8"})


async def dashboard_file(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    content_type = STATIC_FILES.get(name)
    if content_type is None:
        raise web.HTTPNotFound()
    return web.FileResponse(STATIC / name, headers={
        **SECURITY_HEADERS, "Content-Type": content_type})
