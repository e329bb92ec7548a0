// Shelfwise web: optional enhancements only; every page works without this file.
(function () {
  "use strict";
  // Autocomplete: fill the search box's <datalist> from /api/v1/suggest.
  var box = document.querySelector("input[data-suggest]");
  var list = document.getElementById("suggestions");
  if (box && list) {
    var timer = null, last = "";
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = box.value.trim();
        if (q.length < 1 || q === last) return;
        last = q;
        fetch(box.dataset.suggest + "?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            list.textContent = "";
            items.forEach(function (s) {
              var o = document.createElement("option");
              o.value = s.text;
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }
  // Facets: a closed drawer on phones, open beside the results on wide screens.
  var drawer = document.querySelector(".facets details");
  if (drawer && window.matchMedia("(max-width: 47.99rem)").matches) drawer.removeAttribute("open");
  // Share link: select all on focus, for copying.
  var share = document.querySelector("input[data-copy]");
  if (share) share.addEventListener("focus", function () { share.select(); });
})();
