/* The clinic overview's charts, from the page's JSON (no inline script: strict CSP). */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("overview-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var weekly = document.getElementById("weekly-chart");
    weekly.chartData = data.weekly;
    new Chart(weekly, {
      type: "line",
      data: {
        labels: data.weekly.map(function (w) { return w.week_ending; }),
        datasets: [{ label: "Response rate (%)", borderColor: "#0b4f8a", spanGaps: true,
          data: data.weekly.map(function (w) { return w.rate === null ? null : w.rate * 100; }) }]
      },
      options: { maintainAspectRatio: false, animation: false,
        scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } }
    });
    var change = document.getElementById("change-chart");
    var points = Object.keys(data.pain_change).map(Number).sort(function (a, b) { return a - b; });
    change.chartData = data.pain_change;
    new Chart(change, {
      type: "bar",
      data: {
        labels: points.map(function (p) { return (p > 0 ? "+" : "") + p; }),
        datasets: [{ label: "Patients", backgroundColor: points.map(function (p) {
          return p < 0 ? "#1b5e20" : p > 0 ? "#a61b1b" : "#4f5b67"; }),
          data: points.map(function (p) { return data.pain_change[p]; }) }]
      },
      options: { maintainAspectRatio: false, animation: false,
        scales: { x: { title: { display: true, text: "Points from baseline (negative is better)" } },
          y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Patients" } } } }
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
