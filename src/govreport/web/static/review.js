// Report view, reviewing (serve --allow-review): accept / correct / reject a value, add one by selecting its
// characters. Offsets are counted in code points, as Python indexes Report.text; the server checks every span.
(function () {
  "use strict";
  const bar = document.getElementById("review-bar");
  const text = document.getElementById("report-text");
  if (!bar || !text) return;
  const dialog = document.getElementById("review-dialog");
  const form = document.getElementById("review-form");
  const who = document.getElementById("reviewer");
  const message = document.getElementById("review-message");
  const addButton = document.getElementById("add-selection");
  const KEY = "govreport.reviewer";
  who.value = localStorage.getItem(KEY) || "";
  who.addEventListener("change", function () { localStorage.setItem(KEY, who.value.trim()); });

  function say(msg) { message.textContent = msg; }

  function reviewer() {
    const name = who.value.trim();
    if (!name) { say("请先填写审核人"); who.focus(); }
    return name;
  }

  function send(payload) {
    payload.reviewer = reviewer();
    if (!payload.reviewer) return Promise.resolve(false);
    localStorage.setItem(KEY, payload.reviewer);
    return fetch(bar.dataset.api, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { say("未保存：" + (body.error || r.status)); return false; }
        location.reload();
        return true;
      });
    }, function () { say("未保存：无法连接服务器"); return false; });
  }

  function openForm(title, fields, evidence) {
    document.getElementById("review-title").textContent = title;
    document.getElementById("review-evidence").textContent = evidence.text;
    document.getElementById("review-span").textContent = evidence.span;
    document.getElementById("kind-field").hidden = fields.decision !== "add";
    ["decision", "id", "start", "end", "kind", "indicator", "measure", "value", "high", "unit", "qualifier", "note"]
      .forEach(function (name) {
        const v = fields[name];
        form.elements[name].value = v === null || v === undefined ? (name === "qualifier" ? "none" : "") : v;
      });
    if (form.elements.kind.value === "") form.elements.kind.value = "target";
    dialog.showModal();
  }

  document.querySelectorAll("tr[data-id] [data-decide]").forEach(function (button) {
    button.addEventListener("click", function (ev) {
      ev.stopPropagation();  // the row itself scrolls to the evidence
      const row = button.closest("tr");
      const verb = button.dataset.decide;
      if (verb !== "correct") { send({ decision: verb, id: row.dataset.id }); return; }
      if (!reviewer()) return;
      const value = JSON.parse(row.dataset.review);
      const mark = text.querySelector('mark.hl[data-mark="' + row.dataset.target + '"]');
      openForm("更正数值", Object.assign({ decision: "correct", id: row.dataset.id }, value),
               { text: mark ? mark.textContent : "", span: value.start + "–" + value.end });
    });
  });

  // --- add a value by selecting its characters -------------------------------------------------------------
  let chosen = null;
  function codePoints(node, offset) {
    const r = document.createRange();
    r.setStart(text, 0);
    r.setEnd(node, offset);
    return Array.from(r.toString()).length;
  }
  function onSelect() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { addButton.hidden = true; chosen = null; return; }
    const range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
    chosen = { start: codePoints(range.startContainer, range.startOffset),
               end: codePoints(range.endContainer, range.endOffset) };
    if (chosen.end <= chosen.start) { chosen = null; return; }
    const box = range.getBoundingClientRect();
    addButton.hidden = false;
    addButton.style.left = Math.max(8, Math.min(box.left, window.innerWidth - 200)) + "px";
    addButton.style.top = Math.min(box.bottom + 6, window.innerHeight - 40) + "px";
  }
  text.addEventListener("mouseup", onSelect);
  text.addEventListener("keyup", onSelect);
  addButton.addEventListener("mousedown", function (ev) { ev.preventDefault(); });  // keep the selection
  addButton.addEventListener("click", function () {
    if (!chosen || !reviewer()) return;
    const url = bar.dataset.selection + "?start=" + chosen.start + "&end=" + chosen.end;
    fetch(url).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { say("无法添加：" + res.body.error); return; }
        const s = res.body;
        addButton.hidden = true;
        openForm("添加数值", { decision: "add", id: "", start: s.start, end: s.end, value: s.value, unit: s.unit || "",
                               qualifier: "none", measure: s.unit === "%" ? "growth" : "level" },
                 { text: s.text, span: s.start + "–" + s.end });
      });
  });

  document.getElementById("review-cancel").addEventListener("click", function () { dialog.close(); });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const payload = {};
    ["decision", "id", "kind", "indicator", "measure", "value", "high", "unit", "qualifier", "start", "end", "note"]
      .forEach(function (n) { payload[n] = form.elements[n].value; });
    if (payload.decision === "add") payload.report = bar.dataset.report;
    send(payload).then(function (ok) { if (ok) dialog.close(); });
  });
})();
