// The staff client's script: live progress of a MARC import without reloading, an audible
// cue when a desk page carries an alert, and print buttons. Each part is an enhancement:
// without JavaScript the import page refreshes itself (<meta refresh> inside <noscript>),
// alerts are shown in colour and words, and the browser's own Print prints the page.
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
        var status = document.getElementById("import-status");
        var running = box.getAttribute("data-running");
        if (status && running && job.eta_seconds !== null) {
          status.textContent = running.replace("{handled}", job.handled)
            .replace("{percent}", job.percent).replace("{rate}", job.rate)
            .replace("{eta}", job.eta_seconds);
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();

(function () {
  // Two short low tones (Web Audio: no sound file to fetch) when the page carries an alert.
  if (!document.querySelector("[data-alert]")) return;
  var Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    var audio = new Context();
    [0, 0.25].forEach(function (start) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 440;
      gain.gain.value = 0.2;
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(audio.currentTime + start);
      tone.stop(audio.currentTime + start + 0.18);
    });
    document.documentElement.setAttribute("data-cue", "played");
  } catch (e) { /* a browser that refuses sound still shows the alert */ }
})();

document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) window.print();
});
