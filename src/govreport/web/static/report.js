// Report view: tooltips with the structured value, table rows that scroll to their evidence, colour toggles.
(function () {
  "use strict";
  const text = document.getElementById("report-text");
  if (!text) return;

  const tip = document.createElement("div");
  tip.className = "tip";
  tip.hidden = true;
  document.body.appendChild(tip);

  function showTip(el, x, y) {
    tip.textContent = el.dataset.tip;  // textContent: never interpreted as HTML
    tip.hidden = false;
    const w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(8, Math.min(x + 12, window.innerWidth - w - 8)) + "px";
    tip.style.top = (y + h + 24 > window.innerHeight ? y - h - 12 : y + 18) + "px";
  }
  text.addEventListener("mousemove", function (ev) {
    const el = ev.target.closest("mark.hl[data-tip]");
    if (el) showTip(el, ev.clientX, ev.clientY); else tip.hidden = true;
  });
  text.addEventListener("mouseleave", function () { tip.hidden = true; });

  function flash(id) {
    const pieces = text.querySelectorAll('mark.hl[data-mark="' + id + '"]');
    if (!pieces.length) return;
    pieces[0].scrollIntoView({ behavior: "smooth", block: "center" });
    pieces.forEach(function (p) { p.classList.remove("flash"); void p.offsetWidth; p.classList.add("flash"); });
  }
  document.querySelectorAll("tr[data-target]").forEach(function (row) {
    row.addEventListener("click", function () { flash(row.dataset.target); });
    row.addEventListener("keydown", function (ev) {  // keyboard users: Enter or Space shows the evidence
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); flash(row.dataset.target); }
    });
  });

  // opened from a search hit: bring that occurrence to the middle of the screen
  const found = document.getElementById("m-q");
  if (found) found.scrollIntoView({ block: "center" });

  document.querySelectorAll(".legend input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      text.classList.toggle("hide-" + box.dataset.kind, !box.checked);
    });
  });
})();
