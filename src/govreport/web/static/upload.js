// Upload page: dropping a file onto the zone puts it in the form's file input and submits the form.
(function () {
  "use strict";
  const drop = document.getElementById("drop");
  const input = document.getElementById("file");
  const form = document.getElementById("upload-form");
  if (!drop || !input || !form) return;
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (ev) {
    ev.preventDefault();
    if (!ev.dataTransfer || !ev.dataTransfer.files.length) return;
    input.files = ev.dataTransfer.files;
    form.requestSubmit();
  });
})();
