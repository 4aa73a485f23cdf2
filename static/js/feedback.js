// Feedback pages: progressive enhancements only (every page works without JS).
document.addEventListener("DOMContentLoaded", () => {
  // Kiosk thank-you page: return to the start screen for the next citizen.
  const done = document.querySelector("[data-return-url]");
  if (done) {
    const seconds = Number(done.getAttribute("data-return-after")) || 20;
    window.setTimeout(() => { window.location.assign(done.getAttribute("data-return-url")); }, seconds * 1000);
  }
});
