"""The overview plots (``/ui/plots``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from api.deps import StoreDep
from api.errors import ApiError
from api.ui.plots import overview
from api.ui.render import page

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------- plots
@router.get("/ui/plots", name="ui_plots")
async def plots_page(request: Request, store: StoreDep) -> HTMLResponse:
    """Power-transfer level by policy domain and by country, counted from the store's case catalogue."""
    charts = await run_in_threadpool(overview, store)
    return page(
        request,
        "plots.html",
        {
            "charts": charts,
            "by_domain_svg": Markup(charts.by_domain_svg),  # built and escaped by coprokg.plots
            "by_country_svg": Markup(charts.by_country_svg),
        },
        section="/ui/plots",
    )


@router.get("/ui/plots/{name}.svg", name="ui_plot_svg")
async def plot_svg(name: str, store: StoreDep) -> Response:
    """One overview chart as an SVG file."""
    if name not in ("level-by-domain", "level-by-country"):
        raise ApiError(404, f"no plot {name!r}", field="name", allowed=["level-by-country", "level-by-domain"])
    charts = await run_in_threadpool(overview, store)
    svg = charts.by_domain_svg if name == "level-by-domain" else charts.by_country_svg
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})
