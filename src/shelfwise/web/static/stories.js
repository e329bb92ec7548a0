// Stories: deep zoom on request. OpenSeadragon (vendored from npm, static/openseadragon.min.js)
// is fetched only when a reader asks to zoom, so a story page stays light; without JS
// the web-size image is shown as it is.
(function () {
  "use strict";
  var me = document.currentScript;
  var viewerSrc = me && me.getAttribute("data-viewer");
  var loading = null;
  function load() {
    if (window.OpenSeadragon) { return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = viewerSrc; s.onload = resolve; s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }
  function open(box, button) {
    button.disabled = true;
    load().then(function () {
      var img = box.querySelector("img");
      box.classList.add("open");
      if (img) { img.hidden = true; }
      window.OpenSeadragon({
        element: box, tileSources: box.getAttribute("data-info"),
        showNavigationControl: false, gestureSettingsTouch: { pinchRotate: false }
      });
      button.hidden = true;
    }, function () { button.disabled = false; });
  }
  document.querySelectorAll(".zoomable").forEach(function (box) {
    var button = box.nextElementSibling;
    if (!button || !button.classList.contains("zoom")) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { open(box, button); });
  });
})();
