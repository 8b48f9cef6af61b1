"""The local web app: read, check and compare reports in a browser, over the corpus database.

Pages are rendered on the server (Jinja2, autoescaped); charts are drawn in the browser as SVG by
static/charts.js from small JSON endpoints. Every asset is served by the app itself, so it works offline.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from govreport.model import GovreportError, Report
from govreport.web import data
from govreport.web.render import environment, report_context
from govreport.web.render import report_page as standalone_page
from govreport.web.upload import DEFAULT_LIMIT, FORM_OVERHEAD, MB, UploadError, display_name, limited, sniff
from govreport.workers import OverBudget, isolated_pool, time_budget

STATIC = Path(__file__).parent / "static"
Regions = Annotated[list[str] | None, Query(max_length=40)]  # ?region=A&region=B
UPLOADS_KEPT = 16  # parsed uploads kept in memory so their pages survive a reload
UPLOAD_BUDGET = 60.0  # seconds an upload may take to parse before it is refused


def create_app(db_path: str | Path | None = None, *, max_upload: int = DEFAULT_LIMIT, allow_add: bool = False,
               upload_budget: float = UPLOAD_BUDGET) -> FastAPI:
    """The app over the corpus database at ``db_path`` (None: upload-and-view only).

    ``max_upload`` bounds an upload in bytes, checked while the body streams in; ``allow_add`` lets an upload
    be added to the corpus (the database is then opened writable)."""
    app = FastAPI(title="govreport", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.corpus = data.open_corpus(db_path, writable=allow_add) if db_path else None
    app.state.max_upload = max_upload
    app.state.allow_add = allow_add
    app.state.uploads = OrderedDict()  # token -> list[Report]
    app.state.parser = None  # the upload parser processes, started on the first upload
    app.state.upload_budget = upload_budget
    app.state.lock = threading.Lock()  # one database connection, used by one request at a time
    templates = Jinja2Templates(env=environment())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def error(request: Request, status: int, heading: str, message: str, back: str | None = None) -> HTMLResponse:
        return page(request, "error.html", status, heading=heading, message=message, back=back, page=None)

    def corpus() -> data.CorpusView:
        if app.state.corpus is None:
            raise HTTPException(404, "no corpus database: start the app with --db FILE")
        return app.state.corpus

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return error(request, exc.status_code, "出错了", str(exc.detail))

    # ---- reports -------------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, name="reports_page")
    def reports_page(request: Request, q: str = "", region: str = "", level: str = "", year: str = "",
                     warnings: str = "") -> HTMLResponse:
        filters = data.Filters.parse(region=region, level=level, year=year, warnings=warnings)
        view = app.state.corpus
        if view is None:
            return page(request, "reports.html", page="reports_page", nodb=True, filters=filters, q=q)
        with app.state.lock:
            rows = view.list_reports(filters)
            hits = view.search(q) if q.strip() else None
            choices = view.choices()
        return page(request, "reports.html", page="reports_page", rows=rows, hits=hits, q=q, filters=filters,
                    choices=choices, nodb=False)

    @app.get("/report/{report_id}", response_class=HTMLResponse, name="report_page")
    def report_page(request: Request, report_id: str) -> HTMLResponse:
        view = corpus()
        with app.state.lock:
            report = view.report(report_id)
        return page(request, "report.html", page=None, report_id=report_id, **report_context(report))

    @app.get("/report/{report_id}/standalone.html", name="report_standalone")
    def report_standalone(report_id: str) -> HTMLResponse:
        view = corpus()
        with app.state.lock:
            report = view.report(report_id)
        return HTMLResponse(standalone_page(report))

    @app.get("/api/reports")
    def api_reports(region: str = "", level: str = "", year: str = "", warnings: str = "") -> list[dict[str, Any]]:
        view = corpus()
        with app.state.lock:
            return view.list_reports(data.Filters.parse(region=region, level=level, year=year, warnings=warnings))

    @app.get("/api/report/{report_id}")
    def api_report(report_id: str) -> dict[str, Any]:
        view = corpus()
        with app.state.lock:
            return view.report(report_id).to_dict()

    @app.get("/api/search")
    def api_search(q: str, limit: int = 50) -> list[dict[str, Any]]:
        view = corpus()
        with app.state.lock:
            return view.search(q, min(max(limit, 1), 500))

    # ---- indicators ----------------------------------------------------------------------------------------
    @app.get("/indicators", response_class=HTMLResponse, name="indicators_page")
    def indicators_page(request: Request) -> HTMLResponse:
        view = corpus()
        with app.state.lock:
            choices = view.choices()
        return page(request, "indicators.html", page="indicators_page", choices=choices,
                    indicators=data.indicator_choices())

    @app.get("/api/panel")
    def api_panel(indicator: str, region: Regions = None) -> dict[str, Any]:
        view = corpus()
        with app.state.lock:
            return view.panel(data.indicator_code(indicator), region or [])

    @app.get("/download/panel.{fmt}", name="download_panel")
    def download_panel(fmt: str, indicator: str, region: Regions = None) -> Response:
        view = corpus()
        with app.state.lock:
            body, media = view.panel_file(data.indicator_code(indicator), region or [], data.table_format(fmt))
        name = f"panel_{data.indicator_code(indicator)}.{fmt}"
        return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # ---- attention -----------------------------------------------------------------------------------------
    @app.get("/attention", response_class=HTMLResponse, name="attention_page")
    def attention_page(request: Request) -> HTMLResponse:
        view = corpus()
        with app.state.lock:
            choices = view.choices()
        return page(request, "attention.html", page="attention_page", choices=choices, available=data.HAS_ATTENTION)

    @app.get("/api/attention")
    def api_attention(region: Regions = None) -> dict[str, Any]:
        view = corpus()
        with app.state.lock:
            return view.attention(region or [])

    @app.get("/api/kwic")
    def api_kwic(report: str, theme: str, width: int = 24, limit: int = 40) -> list[dict[str, Any]]:
        view = corpus()
        with app.state.lock:
            return view.kwic(report, theme, min(max(width, 4), 80), min(max(limit, 1), 200))

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
            reports = await parse_upload_isolated(app, raw, suffix, name)
        except UploadError as exc:
            return error(request, exc.status, "上传失败", exc.message, back=str(request.url_for("upload_page")))
        token = reports[0].source.sha256[:16]
        uploads: OrderedDict[str, list[Report]] = app.state.uploads
        uploads[token] = reports
        uploads.move_to_end(token)
        while len(uploads) > UPLOADS_KEPT:
            uploads.popitem(last=False)
        if form.get("add") and app.state.allow_add and app.state.corpus is not None:
            with app.state.lock:
                app.state.corpus.add(reports)
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
        return HTMLResponse(standalone_page(reports[part - 1]))

    return app


def parse_upload(raw: bytes, suffix: str, name: str) -> list[Report]:
    """Parse uploaded bytes through the normal pipeline, under the suffix their content shows; the records
    name the uploaded file, never the temporary path."""
    from govreport.pipeline import parse

    with tempfile.TemporaryDirectory(prefix="govreport-upload-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(raw)
        try:
            reports = parse(path)
        except GovreportError as exc:
            raise UploadError(422, f"{name}: {exc.message}") from None
    for report in reports:
        report.source.path = name
    return reports


def _parse_upload_job(raw: bytes, suffix: str, name: str, budget: float) -> list[Report] | tuple[int, str]:
    """In the parser process: the reports, or (status, message) of a refused upload."""
    try:
        with time_budget(budget):
            return parse_upload(raw, suffix, name)
    except UploadError as exc:
        return exc.status, exc.message
    except OverBudget as exc:
        return 422, f"{name}: {exc}"


async def parse_upload_isolated(app: FastAPI, raw: bytes, suffix: str, name: str) -> list[Report]:
    """Parse an upload in a separate process under a time budget. In a thread it would still freeze every
    request (the regex engine holds the GIL); in the event loop it did, for as long as the parse took."""
    import asyncio

    if app.state.parser is None:
        app.state.parser = isolated_pool(2)
    try:
        result = await asyncio.get_running_loop().run_in_executor(app.state.parser, _parse_upload_job, raw, suffix,
                                                                  name, app.state.upload_budget)
    except BrokenProcessPool:
        app.state.parser = None
        raise UploadError(422, f"{name}: the parser process was killed (out of memory?)") from None
    if isinstance(result, tuple):
        raise UploadError(*result)
    return result
