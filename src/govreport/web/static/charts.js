// Indicator and attention charts, drawn as plain SVG (no chart library). All data text goes in via
// textContent / setAttribute, never innerHTML: report-derived strings are untrusted.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = ["#2f6fd6", "#d9731a", "#7b45c4", "#0f8b8d", "#c2255c", "#5c940d", "#862e9c", "#e8590c"];
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

  // series: [{name, color, dashed, points: [{x, y, fill, title, onclick}]}]
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
    const W = 760, H = 360, L = 58, R = 16, T = 18, B = 40;
    const xs = [...new Set(pts.map(function (p) { return p.x; }))].sort(function (a, b) { return a - b; });
    const yt = niceTicks(Math.min(0, ...pts.map(function (p) { return p.y; })), Math.max(...pts.map(function (p) { return p.y; })), 5);
    const y0 = yt[0], y1 = yt[yt.length - 1];
    const sx = function (x) { return xs.length === 1 ? (L + W - R) / 2 : L + (W - L - R) * (xs.indexOf(x) / (xs.length - 1)); };
    const sy = function (y) { return T + (H - T - B) * (1 - (y - y0) / (y1 - y0)); };
    const svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": opts.label || "chart" }, box);
    yt.forEach(function (v) {
      el("line", { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: "gridline" }, svg);
      el("text", { x: L - 8, y: sy(v) + 4, "text-anchor": "end" }, svg).textContent = String(v) + (opts.unit || "");
    });
    xs.forEach(function (x) {
      el("text", { x: sx(x), y: H - B + 20, "text-anchor": "middle" }, svg).textContent = String(x);
    });
    el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#9aa3ad" }, svg);
    series.forEach(function (s) {
      const line = s.points.filter(function (p) { return p.y != null; }).sort(function (a, b) { return a.x - b.x; });
      if (line.length > 1) {
        el("polyline", {
          points: line.map(function (p) { return sx(p.x) + "," + sy(p.y); }).join(" "),
          fill: "none", stroke: s.color, "stroke-width": 2, "stroke-dasharray": s.dashed ? "6 4" : "none",
        }, svg);
      }
      line.forEach(function (p) {
        const dot = el("circle", {
          cx: sx(p.x), cy: sy(p.y), r: 5.5, class: "point", "stroke-width": 2, stroke: p.stroke || s.color,
          fill: p.fill || s.color, "data-series": s.name, "data-x": p.x, "data-y": p.y,
        }, svg);
        el("title", {}, dot).textContent = p.title || s.name + " " + p.x + ": " + p.y;
        if (p.onclick) dot.addEventListener("click", p.onclick);
      });
    });
    const legend = document.createElement("div");
    legend.className = "chart-legend";
    series.forEach(function (s) {
      const item = document.createElement("span");
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = s.dashed ? "#fff" : s.color;
      sw.style.borderColor = s.color;
      sw.style.border = "2px " + (s.dashed ? "dashed " : "solid ") + s.color;
      item.append(sw, " " + s.name);
      legend.appendChild(item);
    });
    box.appendChild(legend);
  }

  function table(box, columns, rows) {
    box.replaceChildren();
    const t = document.createElement("table");
    t.className = "grid";
    const head = t.createTHead().insertRow();
    columns.forEach(function (c) { const th = document.createElement("th"); th.textContent = c; head.appendChild(th); });
    const body = t.createTBody();
    rows.forEach(function (r) {
      const tr = body.insertRow();
      columns.forEach(function (c) {
        const td = tr.insertCell();
        const v = r[c];
        td.textContent = v == null ? "" : String(v);
        if (typeof v === "number") td.className = "num";
      });
    });
    if (!rows.length) { const td = body.insertRow().insertCell(); td.colSpan = columns.length || 1; td.textContent = "没有数据。"; }
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
  const panelForm = document.getElementById("panel-form");
  if (panelForm) {
    const chart = document.getElementById("chart");
    const draw = async function (ev) {
      if (ev) ev.preventDefault();
      const params = query(panelForm);
      ["csv", "xlsx"].forEach(function (fmt) {
        document.getElementById("download-" + fmt).href = chart.dataset.download.replace("FMT", fmt) + "?" + params;
      });
      let data;
      try { data = await getJSON(chart.dataset.api + "?" + params); } catch (err) { showError(chart, err); return; }
      const regions = [...new Set(data.points.map(function (p) { return p.region; }))];
      const series = [];
      regions.forEach(function (region, i) {
        const color = PALETTE[i % PALETTE.length];
        const mine = data.points.filter(function (p) { return p.region === region; });
        const open = function (p) { return p.report ? function () { window.location.href = "/report/" + encodeURIComponent(p.report); } : null; };
        series.push({ name: region + " 目标", color: color, dashed: true, points: mine.map(function (p) {
          return { x: p.year, y: p.target, fill: "#fff", title: region + " " + p.year + " 目标 " + p.target_text, onclick: open(p) };
        }) });
        series.push({ name: region + " 实际", color: color, points: mine.map(function (p) {
          return { x: p.year, y: p.actual, fill: p.met == null ? color : MET[p.met], stroke: color,
                   title: region + " " + p.year + " 实际 " + p.actual_text + (p.met == null ? "" : p.met ? "（达到）" : "（未达到）"), onclick: open(p) };
        }) });
      });
      lineChart(chart, series, { label: data.indicator, empty: "所选地区没有这个指标的数据。" });
      table(document.getElementById("panel-table"), data.columns, data.rows);
      table(document.getElementById("escalation"), data.escalation.columns, data.escalation.rows);
      chart.dataset.drawn = params.toString();  // which query the chart shows (tests wait on it)
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
      document.getElementById("kwic-title").textContent = p.region + " " + p.year + " · " + p.theme;
      const params = new URLSearchParams({ report: p.report, theme: p.theme });
      let lines;
      try { lines = await getJSON(chart.dataset.kwic + "?" + params); } catch (err) { showError(kwic, err); return; }
      const body = document.createElement("tbody");
      lines.forEach(function (line) {
        const tr = body.insertRow();
        [["l", line.left], ["k", line.keyword], ["r", line.right]].forEach(function ([cls, text]) {
          const td = tr.insertCell(); td.className = cls; td.textContent = text || "";
        });
      });
      kwic.replaceChildren(body);
    };
    const draw = async function (ev) {
      if (ev) ev.preventDefault();
      let data;
      try { data = await getJSON(chart.dataset.api + "?" + query(attForm)); } catch (err) { showError(chart, err); return; }
      const keys = [...new Set(data.rows.map(function (r) { return r.region + " · " + r.theme; }))];
      const series = keys.map(function (key, i) {
        return { name: key, color: PALETTE[i % PALETTE.length], points: data.rows
          .filter(function (r) { return r.region + " · " + r.theme === key; })
          .map(function (r) { return { x: r.year, y: r.share, title: key + " " + r.year + ": " + r.share, onclick: function () { showKwic(r); } }; }) };
      });
      lineChart(chart, series, { label: "attention", empty: "没有关注度数据。" });
      chart.dataset.drawn = query(attForm);  // which query the chart shows (tests wait on it)
    };
    attForm.addEventListener("submit", draw);
    draw();
  }
})();
