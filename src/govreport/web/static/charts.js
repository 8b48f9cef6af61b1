// Indicator and attention charts, drawn as plain SVG (no chart library). All data text goes in via
// textContent / setAttribute, never innerHTML: report-derived strings are untrusted.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = ["#2f6fd6", "#d9731a", "#7b45c4", "#0f8b8d", "#c2255c", "#5c940d", "#862e9c", "#e8590c", "#495057", "#1098ad"];
  const MET = { true: "#2b8a3e", false: "#c92a2a" };

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attrs || {}).forEach(function ([k, v]) { node.setAttribute(k, v); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function niceTicks(lo, hi, n) {
    if (lo === hi) { lo -= 1; hi += 1; }
    const step0 = (hi - lo) / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
    const step = [1, 2, 2.5, 5, 10].map(function (m) { return m * mag; }).find(function (s) { return s >= step0; });
    const ticks = [];
    for (let v = Math.floor(lo / step) * step; ; v += step) {  // until the top tick covers the highest value
      ticks.push(+v.toFixed(10));
      if (v >= hi - step * 1e-9) break;
    }
    return ticks;
  }

  // series: [{name, color, dashed, points: [{x, y, high, fill, title, onclick}]}]; x is a year on a real time
  // axis (a missing year leaves a gap in the line), y is in the one unit opts.unit; high draws a range band.
  function lineChart(box, series, opts) {
    box.replaceChildren();
    const pts = series.flatMap(function (s) { return s.points; }).filter(function (p) { return p.y != null; });
    if (!pts.length) {
      const p = document.createElement("p");
      p.className = "muted";
      p.textContent = opts.empty || "没有数据。";
      box.appendChild(p);
      return;
    }
    const W = 760, H = 360, L = 58, R = 16, T = 26, B = 40;
    const ys = pts.flatMap(function (p) { return p.high != null ? [p.y, p.high] : [p.y]; });
    const x0 = Math.min(...pts.map(function (p) { return p.x; })), x1 = Math.max(...pts.map(function (p) { return p.x; }));
    const yt = niceTicks(Math.min(0, ...ys), Math.max(...ys), 5);
    const y0 = yt[0], y1 = yt[yt.length - 1];
    const sx = function (x) { return x0 === x1 ? (L + W - R) / 2 : L + 12 + (W - L - R - 24) * ((x - x0) / (x1 - x0)); };
    const sy = function (y) { return T + (H - T - B) * (1 - (y - y0) / (y1 - y0)); };
    const svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": opts.label || "chart" }, box);
    yt.forEach(function (v) {
      el("line", { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: "gridline" }, svg);
      el("text", { x: L - 8, y: sy(v) + 4, "text-anchor": "end" }, svg).textContent = String(v);
    });
    if (opts.unit != null) el("text", { x: 4, y: 14, class: "axis-unit" }, svg).textContent = "单位：" + (opts.unit || "（无）");
    const step = Math.max(1, Math.ceil((x1 - x0 + 1) / 12));
    for (let x = x0; x <= x1; x += step) {
      el("text", { x: sx(x), y: H - B + 20, "text-anchor": "middle", class: "year" }, svg).textContent = String(x);
    }
    el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#9aa3ad" }, svg);
    series.forEach(function (s) {
      const line = s.points.filter(function (p) { return p.y != null; }).sort(function (a, b) { return a.x - b.x; });
      let run = [];
      const flush = function () {
        if (run.length > 1) {
          el("polyline", {
            points: run.map(function (p) { return sx(p.x) + "," + sy(p.y); }).join(" "),
            fill: "none", stroke: s.color, "stroke-width": 2, "stroke-dasharray": s.dashed ? "6 4" : "none",
          }, svg);
        }
        run = [];
      };
      line.forEach(function (p, i) {
        if (i && p.x - line[i - 1].x > 1) flush();  // a year without a value: the line breaks
        run.push(p);
      });
      flush();
      line.forEach(function (p) {
        if (p.high != null) {
          el("rect", { x: sx(p.x) - 7, width: 14, y: sy(p.high), height: Math.max(1, sy(p.y) - sy(p.high)),
                       fill: s.color, "fill-opacity": 0.18, stroke: s.color, "stroke-dasharray": "3 2", class: "band",
                       "data-series": s.name, "data-x": p.x }, svg);
        }
        const dot = el("circle", {
          cx: sx(p.x), cy: sy(p.y), r: 5.5, class: "point", "stroke-width": 2, stroke: p.stroke || s.color,
          fill: p.fill || s.color, "data-series": s.name, "data-x": p.x, "data-y": p.y,
        }, svg);
        el("title", {}, dot).textContent = p.title || s.name + " " + p.x + ": " + p.y;
        if (p.onclick) {
          dot.setAttribute("tabindex", "0");
          dot.setAttribute("role", "link");
          dot.setAttribute("aria-label", p.title || s.name);
          dot.addEventListener("click", p.onclick);
          dot.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); p.onclick(); } });
        }
      });
    });
    const legend = document.createElement("div");
    legend.className = "chart-legend";
    series.forEach(function (s) {
      const item = document.createElement("span");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = s.dashed ? "#fff" : s.color;
      sw.style.border = "2px " + (s.dashed ? "dashed " : "solid ") + s.color;
      item.append(sw, " " + s.name);
      legend.appendChild(item);
    });
    box.appendChild(legend);
  }

  // a data table: Chinese heads from labels {column: [name, description]}; click (or Enter on) a head to sort
  function table(box, columns, rows, labels) {
    box.replaceChildren();
    const t = document.createElement("table");
    t.className = "grid";
    const head = t.createTHead().insertRow();
    const body = t.createTBody();
    let order = { column: null, desc: false };
    const fill = function () {
      body.replaceChildren();
      const sorted = order.column == null ? rows : rows.slice().sort(function (a, b) {
        const x = a[order.column], y = b[order.column];
        if (x == null) return 1;
        if (y == null) return -1;
        const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
        return order.desc ? -c : c;
      });
      sorted.forEach(function (r) {
        const tr = body.insertRow();
        columns.forEach(function (c) {
          const td = tr.insertCell();
          const v = r[c];
          td.textContent = v == null ? "" : String(v);
          if (typeof v === "number") td.className = "num";
        });
      });
      if (!rows.length) { const td = body.insertRow().insertCell(); td.colSpan = columns.length || 1; td.textContent = "没有数据。"; }
    };
    columns.forEach(function (c) {
      const th = document.createElement("th");
      const label = (labels || {})[c];
      th.textContent = label ? label[0] : c;
      th.title = label ? label[1] : c;
      th.dataset.column = c;
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      const sort = function () {
        order = { column: c, desc: order.column === c ? !order.desc : false };
        head.querySelectorAll("th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", order.desc ? "descending" : "ascending");
        fill();
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (ev) { if (ev.key === "Enter") sort(); });
      head.appendChild(th);
    });
    fill();
    box.appendChild(t);
  }

  function query(form) {
    const params = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { params.append(k, v); });
    return params;
  }

  async function getJSON(url) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || res.statusText);
    return body;
  }

  function showError(box, err) {
    box.replaceChildren();
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = String(err.message || err);
    box.appendChild(p);
  }

  // ---- indicators page
  function fillSelect(select, options, chosen) {
    select.replaceChildren();
    options.forEach(function ([value, label]) {
      const o = document.createElement("option");
      o.value = value; o.textContent = label;
      if (value === chosen) o.selected = true;
      select.appendChild(o);
    });
  }

  function evidenceLink(report, evidence) {
    if (!report) return null;
    const q = evidence ? "?" + new URLSearchParams({ q: evidence }) + "#m-q" : "";
    return function () { window.location.href = "/report/" + encodeURIComponent(report) + q; };
  }

  const panelForm = document.getElementById("panel-form");
  if (panelForm) {
    const chart = document.getElementById("chart");
    const measure = document.getElementById("measure"), unit = document.getElementById("unit");
    measure.addEventListener("change", function () { unit.replaceChildren(); });  // another measure, other units
    document.getElementById("indicator").addEventListener("change", function () {
      measure.replaceChildren(); unit.replaceChildren();
    });
    const draw = async function (ev) {
      if (ev) ev.preventDefault();
      const params = query(panelForm);
      ["measure", "unit"].forEach(function (k) { if (!params.get(k)) params.delete(k); });
      let data;
      try { data = await getJSON(chart.dataset.api + "?" + params); } catch (err) { showError(chart, err); return; }
      fillSelect(measure, data.measures, data.measure);
      fillSelect(unit, data.units.map(function (u) { return [u, u || "（无单位）"]; }), data.unit);
      const shown = new URLSearchParams(params);
      if (data.measure) shown.set("measure", data.measure);
      if (data.unit != null) shown.set("unit", data.unit);
      ["csv", "xlsx"].forEach(function (fmt) {
        document.getElementById("download-" + fmt).href = chart.dataset.download.replace("FMT", fmt) + "?" + shown;
      });
      const note = document.getElementById("chart-note");
      note.textContent = params.getAll("region").length ? "" :
        "未选地区：显示年份最多的 " + data.regions.length + " 个地区（共 " + data.regions_total + " 个）。";
      const regions = [...new Set(data.points.map(function (p) { return p.region; }))];
      const series = [];
      regions.forEach(function (region, i) {
        const color = PALETTE[i % PALETTE.length];
        const mine = data.points.filter(function (p) { return p.region === region; });
        series.push({ name: region + " 目标", color: color, dashed: true, points: mine.map(function (p) {
          return { x: p.year, y: p.target, high: p.target_high, fill: "#fff",
                   title: region + " " + p.year + " 目标 " + p.target_text + (p.qualifier_text ? " " + p.qualifier_text : ""),
                   onclick: evidenceLink(p.report_id, p.target_evidence) };
        }) });
        series.push({ name: region + " 实际", color: color, points: mine.map(function (p) {
          return { x: p.year, y: p.actual, fill: p.met == null ? color : MET[p.met], stroke: color,
                   title: region + " " + p.year + " 实际 " + p.actual_text + (p.met == null ? "" : p.met ? "（达到）" : "（未达到）"),
                   onclick: evidenceLink(p.actual_report_id, p.actual_evidence) };
        }) });
      });
      lineChart(chart, series, { label: data.indicator, unit: data.unit, empty: "所选地区没有这个指标的数据。" });
      table(document.getElementById("panel-table"), data.columns, data.rows, data.labels);
      table(document.getElementById("escalation"), data.escalation.columns, data.escalation.rows, data.labels);
      history.replaceState(null, "", "?" + shown);  // the URL holds the view (a permalink)
      chart.dataset.drawn = shown.toString();  // which query the chart shows (tests wait on it)
    };
    panelForm.addEventListener("submit", draw);
    draw();
  }

  // ---- attention page
  const attForm = document.getElementById("attention-form");
  if (attForm) {
    const chart = document.getElementById("att-chart");
    const kwic = document.getElementById("kwic");
    const showKwic = async function (p) {
      document.getElementById("kwic-title").textContent = p.region + " " + p.year + " · " + p.label;
      const params = new URLSearchParams({ report: p.report, theme: p.theme });
      let lines;
      try { lines = await getJSON(chart.dataset.kwic + "?" + params); } catch (err) { showError(kwic, err); return; }
      const body = document.createElement("tbody");
      lines.forEach(function (line) {
        const tr = body.insertRow();
        [["l", line.left], ["k", line.keyword], ["r", line.right]].forEach(function ([cls, text]) {
          const td = tr.insertCell(); td.className = cls;
          if (cls === "k") {  // the keyword opens the report at this very occurrence
            const a = document.createElement("a");
            a.href = "/report/" + encodeURIComponent(p.report) + "?" + new URLSearchParams({ q: line.keyword, at: line.start }) + "#m-q";
            a.textContent = text || "";
            td.appendChild(a);
          } else td.textContent = text || "";
        });
      });
      if (!lines.length) { const td = body.insertRow().insertCell(); td.colSpan = 3; td.textContent = "没有出现。"; }
      kwic.replaceChildren(body);
    };
    const draw = async function (ev) {
      if (ev) ev.preventDefault();
      const params = query(attForm);
      if (!params.get("term")) params.delete("term");
      let data;
      try { data = await getJSON(chart.dataset.api + "?" + params); } catch (err) { showError(chart, err); return; }
      const keys = [...new Set(data.rows.map(function (r) { return r.region + " · " + r.label; }))];
      const series = keys.map(function (key, i) {
        const term = data.term && key.endsWith("“" + data.term + "”");
        return { name: key, color: term ? "#111" : PALETTE[i % PALETTE.length], points: data.rows
          .filter(function (r) { return r.region + " · " + r.label === key; })
          .map(function (r) { return { x: r.year, y: r.share, title: key + " " + r.year + "：" + r.share + " " + data.unit,
                                       onclick: function () { showKwic(r); } }; }) };
      });
      document.getElementById("att-note").textContent = params.getAll("region").length ? "" :
        "未选地区：显示报告最多的 " + data.regions.length + " 个地区：" + data.regions.join("、");
      lineChart(chart, series, { label: "attention", unit: data.unit, empty: "没有关注度数据。" });
      history.replaceState(null, "", "?" + params);  // the URL holds the view (a permalink)
      chart.dataset.drawn = params.toString();  // which query the chart shows (tests wait on it)
    };
    attForm.addEventListener("submit", draw);
    draw();
  }
})();
