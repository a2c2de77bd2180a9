// The Library's progress charts, drawn from the same figures as the table beside them
// (the page's JSON block); without JavaScript the tables alone tell the same.
"use strict";

(function () {
  const source = document.getElementById("progress-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  // One colour per state, dark enough against white for text and lines (WCAG 3:1 for graphics).
  const colours = ["#6b7280", "#1d4ed8", "#15803d", "#0f766e", "#b91c1c"];

  const unitCanvas = document.getElementById("unit-chart");
  if (unitCanvas && data.units.names.length) {
    new window.Chart(unitCanvas, {
      type: "bar",
      data: {
        labels: data.units.names,
        datasets: data.labels.map(function (label, index) {
          return {
            label: label,
            data: data.units.counts.map(function (row) { return row[index]; }),
            backgroundColor: colours[index],
          };
        }),
      },
      options: {
        indexAxis: "y",
        animation: false,
        responsive: true,
        scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
      },
    });
  }

  const timeCanvas = document.getElementById("time-chart");
  if (timeCanvas && data.days.dates.length) {
    new window.Chart(timeCanvas, {
      type: "line",
      data: {
        labels: data.days.dates,
        datasets: data.labels.map(function (label, index) {
          return {
            label: label,
            data: data.days.counts.map(function (row) { return row[index]; }),
            borderColor: colours[index],
            backgroundColor: colours[index],
            tension: 0,
          };
        }),
      },
      options: { animation: false, responsive: true, scales: { y: { ticks: { precision: 0 } } } },
    });
  }
})();
