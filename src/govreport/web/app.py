"""The local web app: read, check and compare reports in a browser, over the corpus database.

Pages are rendered on the server (Jinja2, autoescaped); charts are drawn in the browser as SVG by
static/charts.js from small JSON endpoints. Every asset is served by the app itself, so it works offline.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from govreport.model import Report
from govreport.model import report_id as rid_of
from govreport.web import data
from govreport.web.guard import Guard, security_headers
from govreport.web.render import Mark, environment, report_context, static_text
from govreport.web.render import report_page as standalone_page
from govreport.web.upload import DEFAULT_LIMIT, FORM_OVERHEAD, MB, UploadError, display_name, limited, sniff
from govreport.web.worker import Budget, parse_upload

STATIC = Path(__file__).parent / "static"
Regions = Annotated[list[str] | None, Query(max_length=40)]  # ?region=A&region=B
Short = Annotated[str, Query(max_length=40)]
UPLOADS_KEPT = 16  # parsed uploads kept in memory so their pages survive a reload


def create_app(db_path: str | Path | None = None, *, max_upload: int = DEFAULT_LIMIT, allow_add: bool = False,
               budget: Budget = Budget(), allowed_hosts: Iterable[str] = (), allow_review: bool = False) -> FastAPI:
    """The app over the corpus database at ``db_path`` (None: upload-and-view only).

    ``max_upload`` bounds an upload in bytes, checked while the body streams in; ``allow_add`` lets an upload
    be added to the corpus (the database is then opened writable); ``budget`` bounds the parse of one upload;
    ``allowed_hosts`` are Host names the app answers besides the loopback ones; ``allow_review`` lets reviewers
    store decisions on values (the database is then opened writable)."""
    app = FastAPI(title="govreport", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.corpus = data.open_corpus(db_path, writable=allow_add or allow_review) if db_path else None
    app.state.allow_review = allow_review and db_path is not None
    app.state.max_upload = max_upload
    app.state.allow_add = allow_add
    app.state.budget = budget
    app.state.parsing = {}  # pid -> start time of each upload being parsed
    app.state.parse_slots = None  # asyncio.Semaphore, made on the server's event loop by the first upload
    app.state.uploads = OrderedDict()  # token -> list[Report]
    app.add_middleware(Guard, allowed_hosts=allowed_hosts)
    if app.state.corpus is not None:  # the indicators page opens on this panel: compute it before anyone asks
        threading.Thread(target=app.state.corpus.warm, name="govreport-warm", daemon=True).start()
    templates = Jinja2Templates(env=environment())
    templates.env.globals["per_page"] = data.PER_PAGE
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def error(request: Request, status: int, heading: str, message: str, back: str | None = None) -> HTMLResponse:
        return page(request, "error.html", status, heading=heading, message=message, back=back, page=None)

    def corpus() -> data.CorpusView:
        if app.state.corpus is None:
            raise HTTPException(404, "no corpus database: start the app with --db FILE")
        return app.state.corpus

    def failure(request: Request, status: int, message: str) -> Response:
        """JSON for the API, an HTML page for everything a browser opens."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status)
        return error(request, status, "出错了", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return failure(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        where = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in exc.errors())
        return failure(request, 400, f"bad request ({where})")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # answered outside the Guard middleware (Starlette's outermost layer), so it adds the headers itself
        response = failure(request, 500, f"internal error ({type(exc).__name__}); the server log has the details")
        response.headers.update({k.decode(): v.decode() for k, v in security_headers([])})
        return response

    # ---- reports -------------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, name="reports_page")
    def reports_page(request: Request) -> HTMLResponse:
        filters = view_filters(request)
        view = app.state.corpus
        if view is None:
            return page(request, "reports.html", page="reports_page", nodb=True, filters=filters)
        result = view.list_reports(filters)
        pages = max(1, -(-result["total"] // filters.per))
        return page(request, "reports.html", page="reports_page", nodb=False, filters=filters, pages=pages,
                    choices=view.choices(), **result)

    @app.get("/reports.{fmt}", name="reports_export")
    def reports_export(request: Request, fmt: str) -> Response:
        """Every row of the current view (its filters and order), not only the page on screen."""
        if fmt not in ("csv", "json"):
            raise HTTPException(404, f"no export format {fmt!r} (csv or json)")
        rows = corpus().list_reports(view_filters(request), paged=False)["rows"]
        if fmt == "json":
            return JSONResponse(rows, headers={"Content-Disposition": 'attachment; filename="reports.json"'})
        import pandas as pd

        body, media = data.table_file(pd.DataFrame(rows, columns=list(data.LIST_FIELDS)), "csv")
        return Response(body, media_type=media, headers={"Content-Disposition": 'attachment; filename="reports.csv"'})

    @app.get("/report/{report_id}", response_class=HTMLResponse, name="report_page")
    def report_page(request: Request, report_id: str, q: str = "", at: int | None = None) -> HTMLResponse:
        view = corpus()
        report = view.report(report_id)
        reviewed = view.report_review(report)
        added = [Mark(f"r{a['id']}", "added", a["new_start"], a["new_end"], f"人工添加 · {a['indicator']} · "
                      f"{a['value']:g}{a['unit'] or ''} · {a['reviewer']}") for a in reviewed["added"]]
        return page(request, "report.html", page=None, report_id=report_id, neighbours=view.neighbours(report_id),
                    review=reviewed, allow_review=app.state.allow_review, value_id=rid_of(report),
                    indicators=data.indicator_choices(), **report_context(report, found=(q, at), extra=added))

    @app.get("/report/{report_id}/standalone.html", name="report_standalone")
    def report_standalone(report_id: str) -> HTMLResponse:
        return HTMLResponse(standalone_page(corpus().report(report_id)), headers=STANDALONE_HEADERS)

    @app.get("/api/reports")
    def api_reports(request: Request) -> list[dict[str, Any]]:
        return corpus().list_reports(view_filters(request), paged=False)["rows"]

    @app.get("/api/report/{report_id}")
    def api_report(report_id: str) -> dict[str, Any]:
        return corpus().report(report_id).to_dict()

    @app.get("/api/search")
    def api_search(q: str, limit: int = 50) -> list[dict[str, Any]]:
        return corpus().search(q, min(max(limit, 1), 500))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(static_text("favicon.svg"), media_type="image/svg+xml",
                        headers={"Cache-Control": "max-age=86400"})

    # ---- review --------------------------------------------------------------------------------------------
    @app.get("/review", response_class=HTMLResponse, name="review_page")
    def review_page(request: Request, region: Short = "", year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
                    indicator: Short = "", limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                    reviewed: bool = False) -> HTMLResponse:
        rows = corpus().review_queue(region, year, indicator, limit, reviewed)
        return page(request, "review.html", page="review_page", rows=rows, indicators=data.indicator_choices(),
                    chosen={"region": region, "year": year, "indicator": indicator, "limit": limit,
                            "reviewed": reviewed}, allow_review=app.state.allow_review)

    @app.get("/api/report/{report_id}/selection")
    def api_selection(report_id: str, start: int, end: int) -> dict[str, Any]:
        return corpus().selection(report_id, start, end)

    @app.post("/api/review")
    async def api_review(request: Request) -> dict[str, Any]:
        if not app.state.allow_review:
            raise HTTPException(403, "reviewing is off: start the app with `govreport serve --allow-review`")
        try:
            payload = await request.json()
        except ValueError:
            raise HTTPException(400, "the body must be JSON") from None
        if not isinstance(payload, dict):
            raise HTTPException(400, "the body must be a JSON object")
        return await asyncio.to_thread(corpus().decide, payload)

    # ---- coverage ------------------------------------------------------------------------------------------
    @app.get("/coverage", response_class=HTMLResponse, name="coverage_page")
    def coverage_page(request: Request, page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> HTMLResponse:
        cover = corpus().coverage(page_no)
        pages = max(1, -(-cover["regions_total"] // data.COVERAGE_REGIONS))
        return page(request, "coverage.html", page="coverage_page", cover=cover, page_no=page_no, pages=pages)

    # ---- compare -------------------------------------------------------------------------------------------
    @app.get("/compare", response_class=HTMLResponse, name="compare_page")
    def compare_page(request: Request, region: Short = "") -> HTMLResponse:
        view = corpus()
        return page(request, "compare.html", page="compare_page", choices=view.choices(),
                    compare=view.compare(region) if region else None, region=region)

    # ---- indicators ----------------------------------------------------------------------------------------
    @app.get("/indicators", response_class=HTMLResponse, name="indicators_page")
    def indicators_page(request: Request, indicator: str = data.FIRST_INDICATOR, region: Regions = None, measure: Short = "",
                        unit: Short = "") -> HTMLResponse:
        chosen = {"indicator": indicator, "regions": region or [], "measure": measure, "unit": unit}
        return page(request, "indicators.html", page="indicators_page", choices=corpus().choices(),
                    indicators=data.indicator_choices(), chosen=chosen)

    @app.get("/api/panel")
    def api_panel(indicator: str, region: Regions = None, measure: Short = "", unit: Short = "") -> dict[str, Any]:
        return corpus().panel(data.indicator_code(indicator), region or [], measure, unit)

    @app.get("/download/panel.{fmt}", name="download_panel")
    def download_panel(fmt: str, indicator: str, region: Regions = None, measure: Short = "", unit: Short = "") -> Response:
        body, media = corpus().panel_file(data.indicator_code(indicator), region or [], data.table_format(fmt),
                                          measure, unit)
        name = f"panel_{data.indicator_code(indicator)}.{fmt}"
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # ---- attention -----------------------------------------------------------------------------------------
    @app.get("/attention", response_class=HTMLResponse, name="attention_page")
    def attention_page(request: Request, region: Regions = None, term: Short = "") -> HTMLResponse:
        return page(request, "attention.html", page="attention_page", choices=corpus().choices(),
                    chosen={"regions": region or [], "term": term},
                    available=data.HAS_ATTENTION)

    @app.get("/api/attention")
    def api_attention(region: Regions = None, term: Short = "") -> dict[str, Any]:
        return corpus().attention(region or [], term)

    @app.get("/api/kwic")
    def api_kwic(report: str, theme: str, width: int = 24, limit: int = 40) -> list[dict[str, Any]]:
        return corpus().kwic(report, theme, min(max(width, 4), 80), min(max(limit, 1), 200))

    # ---- upload --------------------------------------------------------------------------------------------
    @app.get("/upload", response_class=HTMLResponse, name="upload_page")
    def upload_page(request: Request) -> HTMLResponse:
        return page(request, "upload.html", page="upload_page", limit_mb=app.state.max_upload / MB,
                    allow_add=app.state.allow_add and app.state.corpus is not None)

    @app.post("/upload", name="upload_post")
    async def upload_post(request: Request) -> Response:
        limit = app.state.max_upload
        try:
            length = int(request.headers.get("content-length") or 0)
        except ValueError:
            length = 0
        try:
            if length > limit + FORM_OVERHEAD:
                raise UploadError(413, f"upload larger than the limit of {limit / MB:g} MB")
            form = await Request(request.scope, limited(request.receive, limit + FORM_OVERHEAD)).form(
                max_files=1, max_fields=4
            )
            item = form.get("file")
            if not isinstance(item, UploadFile) or not item.filename:
                raise UploadError(400, "no file chosen")
            name = display_name(item.filename)
            raw = await item.read(limit + 1)
            if len(raw) > limit:
                raise UploadError(413, f"{name}: larger than the limit of {limit / MB:g} MB")
            try:
                suffix = sniff(raw)
            except UploadError as exc:
                raise UploadError(exc.status, f"{name}: {exc.message}") from None
            if app.state.parse_slots is None:
                app.state.parse_slots = asyncio.Semaphore(app.state.budget.jobs)
            async with app.state.parse_slots:
                reports = await parse_upload(raw, suffix, name, app.state.budget, request.is_disconnected,
                                             app.state.parsing)
        except UploadError as exc:
            return error(request, exc.status, "上传失败", exc.message, back=str(request.url_for("upload_page")))
        token = reports[0].source.sha256[:16]
        uploads: OrderedDict[str, list[Report]] = app.state.uploads
        uploads[token] = reports
        uploads.move_to_end(token)
        while len(uploads) > UPLOADS_KEPT:
            uploads.popitem(last=False)
        if form.get("add") and app.state.allow_add and app.state.corpus is not None:
            await asyncio.to_thread(app.state.corpus.add, reports)
        return RedirectResponse(request.url_for("upload_view", token=token, part=1), status_code=303)

    @app.get("/upload/{token}/{part}", response_class=HTMLResponse, name="upload_view")
    def upload_view(request: Request, token: str, part: int) -> HTMLResponse:
        reports = app.state.uploads.get(token)
        if reports is None or not 1 <= part <= len(reports):
            raise HTTPException(404, "upload not found (uploads are kept in memory only while the app runs)")
        siblings = [(i, r.title or f"报告 {i}") for i, r in enumerate(reports, 1)] if len(reports) > 1 else []
        return page(request, "report.html", page="upload_page", upload=token, siblings=siblings,
                    notice=f"上传的文件，第 {part}/{len(reports)} 份报告（未入库）", **report_context(reports[part - 1]))

    @app.get("/upload/{token}/{part}/standalone.html", name="upload_standalone")
    def upload_standalone(token: str, part: int) -> HTMLResponse:
        reports = app.state.uploads.get(token)
        if reports is None or not 1 <= part <= len(reports):
            raise HTTPException(404, "upload not found")
        return HTMLResponse(standalone_page(reports[part - 1]), headers=STANDALONE_HEADERS)

    return app


def view_filters(request: Request) -> data.Filters:
    """The report-list view state from the URL query."""
    return data.Filters.parse(**{key: request.query_params.get(key, "") for key in data.FILTER_KEYS})


def _inline_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# the standalone page inlines its style and script: its policy allows exactly those two, nothing else
STANDALONE_HEADERS = {
    "Content-Security-Policy": f"default-src 'none'; style-src {_inline_hash(static_text('app.css'))};"
    f" script-src {_inline_hash(static_text('report.js'))}; img-src data:; base-uri 'none'; form-action 'none';"
    " frame-ancestors 'none'"
}
