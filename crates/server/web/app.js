// duban's own script: the CSRF token on htmx requests, and the dashboard chart.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRF-Token"] = meta.content;
});

document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("status-chart");
  if (!canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(canvas.dataset.chart || "[]");
  const colors = { done: "#2e7d32", partial: "#f9a825", not_done: "#c62828", unreported: "#78909c", pending: "#b0bec5" };
  new Chart(canvas, {
    type: "doughnut",
    data: {
      labels: data.map((d) => d.label),
      datasets: [{ data: data.map((d) => d.count), backgroundColor: data.map((d) => colors[d.code] || "#999") }],
    },
    options: { animation: false, plugins: { legend: { position: "bottom" } } },
  });
});
