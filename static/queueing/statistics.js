// Waiting and service time per hour (data from json_script; the table holds every figure).
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("queue-chart");
  const source = document.getElementById("queue-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const rows = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: rows.map((r) => `${r.hour}h`),
      datasets: [
        { label: canvas.dataset.labelWait, data: rows.map((r) => r.wait_minutes), backgroundColor: "#b3151b" },
        { label: canvas.dataset.labelService, data: rows.map((r) => r.service_minutes), backgroundColor: "#1f5fa8",
          borderDash: [4, 2], borderWidth: 2, borderColor: "#0b2e55" },
      ],
    },
    options: {
      responsive: true,
      plugins: { legend: { position: "bottom" } },
      scales: { x: { title: { display: true, text: canvas.dataset.labelHour } }, y: { beginAtZero: true } },
    },
  });
});
