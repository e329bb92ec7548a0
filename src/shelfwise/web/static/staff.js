// The staff client's only script: live progress of a MARC import without reloading.
// Without JavaScript the page refreshes itself (<meta refresh> inside <noscript>).
(function () {
  var box = document.getElementById("import-progress");
  if (!box || box.getAttribute("data-done") === "true") return;
  var url = box.getAttribute("data-progress");
  var bar = document.getElementById("import-bar");
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.done) { window.location.reload(); return; }
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
