// 766 index pages. Progressive enhancement only: every number is also in a table.
// Data comes from <script type="application/json" id="indicator-chart-data"> (json_script),
// so no inline script is needed under the strict CSP.
(function () {
  "use strict";

  function autosubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
  }

  var RED = "#b3151b", GOLD = "#f2c230", GREY = "#d9dde5", INK = "#1d2330";
  var PALETTE = ["#b3151b", "#1f5fd1", "#1b6e3a", "#8a5a00", "#6b3fa0", "#0f7c86", "#555f70"];

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) { return null; }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    return new window.Chart(canvas, config);
  }

  function drawGroups(data) {
    var groups = data.groups;
    if (!groups || !groups.scores.length) { return; }
    chart("chart-groups", {
      type: "bar",
      data: {
        labels: groups.labels,
        datasets: [
          { label: data.text.score, data: groups.scores, backgroundColor: RED },
          { label: data.text.max, data: groups.max, backgroundColor: GREY }
        ]
      },
      options: {
        indexAxis: "y",
        scales: { x: { beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function drawTrend(data) {
    var trend = data.trend;
    if (!trend || trend.labels.length < 2) { return; }
    var datasets = [{ type: "line", label: data.text.total, data: trend.totals, borderColor: INK,
      backgroundColor: INK, borderWidth: 3, tension: 0.2, yAxisID: "total" }];
    trend.series.forEach(function (series, index) {
      datasets.push({ type: "bar", label: series.label, data: series.values, stack: "groups",
        backgroundColor: PALETTE[index % PALETTE.length], yAxisID: "total" });
    });
    chart("chart-trend", {
      type: "bar",
      data: { labels: trend.labels, datasets: datasets },
      options: {
        scales: { total: { position: "left", beginAtZero: true, max: 100, stacked: true }, x: { stacked: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  function drawRankings(data) {
    (data.rankings || []).forEach(function (ranking) {
      if (ranking.labels.length < 2) { return; }
      var box = document.getElementById("chart-" + ranking.id);
      // One bar per unit: the box grows with the list (CSSOM, allowed by the CSP).
      if (box) { box.parentNode.style.height = (ranking.labels.length * 26 + 50) + "px"; }
      chart("chart-" + ranking.id, {
        type: "bar",
        data: { labels: ranking.labels, datasets: [{ label: data.text.total, data: ranking.totals, backgroundColor: GOLD, borderColor: RED, borderWidth: 1 }] },
        options: { indexAxis: "y", scales: { x: { beginAtZero: true, max: 100 } }, plugins: { legend: { display: false } } }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    autosubmit();
    var source = document.getElementById("indicator-chart-data");
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    drawGroups(data);
    drawTrend(data);
    drawRankings(data);
  });
})();
