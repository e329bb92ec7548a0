// The dashboards' charts (issue 21), drawn with the vendored Apache ECharts from the figures
// the page carries in #dash-data. The table under each chart holds the same figures and is
// what screen readers read (the chart is aria-hidden). A hidden figure (fewer than k
// readers) is null and drawn as a gap. Tooltips render in the canvas (richText), so the
// page's CSP needs no inline style.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dash-data");
    if (!source || !window.echarts) { return; }
    var charts = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var spec = charts[el.getAttribute("data-chart")];
      if (!spec || !spec.rows.length) { el.hidden = true; return; }
      var labels = el.getAttribute("data-labels").split("|");
      var series = [];
      // Series: a chart with a ratio column (per copy, a rate, a share) draws its ratios;
      // any other draws every figure column.
      var isRatio = function (c) { return /(_per_copy|_rate|_share)$/.test(c); };
      var ratios = spec.columns.some(isRatio);
      for (var i = 1; i < spec.columns.length; i++) {
        if (ratios ? !isRatio(spec.columns[i]) : spec.columns[i] === "copies") { continue; }
        series.push({
          name: labels[i],
          type: spec.kind,
          data: spec.rows.map(function (r) { return r[i]; }),
          connectNulls: false
        });
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: { show: series.length > 1 },
        grid: { left: 48, right: 16, top: 32, bottom: 48 },
        xAxis: { type: "category", data: spec.rows.map(function (r) { return String(r[0]); }) },
        yAxis: { type: "value" },
        series: series
      });
      drawn.push(chart);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (c) { c.resize(); }); });
  }
  // The lobby's big screen reloads itself (data-refresh seconds on its body): a script,
  // not <meta http-equiv=refresh>, which axe rightly flags for pages people read.
  var every = document.body && Number(document.body.getAttribute("data-refresh"));
  if (every > 0) { window.setTimeout(function () { window.location.reload(); }, every * 1000); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
}());
