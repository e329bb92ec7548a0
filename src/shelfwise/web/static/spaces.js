// The live seat map: every 30 seconds the room page fetches itself and swaps in the new
// map and count. Without script the page shows the map as it was, and a reload refreshes.
(function () {
  var box = document.querySelector("[data-live-map]");
  if (!box || !window.fetch) return;
  var count = document.querySelector("[data-free]");
  setInterval(function () {
    if (document.hidden) return;
    fetch(location.href, {credentials: "same-origin"}).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      var map = doc.querySelector("[data-live-map]");
      var free = doc.querySelector("[data-free]");
      if (map) box.innerHTML = map.innerHTML;
      if (free && count) count.textContent = free.textContent;
    }).catch(function () {});
  }, 30000);
})();
