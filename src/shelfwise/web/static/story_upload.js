// The staff's media upload with a progress bar: percent, rate and time left while a large
// scan or recording goes up (the form still works without script: a plain POST).
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById("upload-progress");
  var line = document.getElementById("upload-status");
  function mb(n) { return (n / 1048576).toFixed(1); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var request = new XMLHttpRequest();
    var started = Date.now();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    bar.hidden = false;
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var seconds = Math.max((Date.now() - started) / 1000, 0.001);
      var rate = e.loaded / seconds;
      var left = rate > 0 ? Math.round((e.total - e.loaded) / rate) : 0;
      bar.max = e.total;
      bar.value = e.loaded;
      line.textContent = fill(form.dataset.progress, {
        pct: Math.round((100 * e.loaded) / e.total),
        done: mb(e.loaded), total: mb(e.total), rate: mb(rate), eta: left
      });
    });
    request.addEventListener("load", function () {
      if (request.status < 400) {
        window.location.assign(request.responseURL || "/staff/stories#media-h");
      } else {
        // the refusal page says why; show it as the page
        document.open(); document.write(request.responseText); document.close();
      }
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      line.textContent = form.dataset.failed;
    });
    request.open("POST", form.action);
    request.send(new FormData(form));
  });
})();
