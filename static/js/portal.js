// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
});

// Form errors: one summary at the top of the form, focused, with a link to each
// field (WCAG 3.3.1). The field error lists themselves carry no live-region role,
// so a screen reader announces the summary once instead of every list at once.
document.addEventListener("DOMContentLoaded", () => {
  const first = document.querySelector("main form .errorlist, main form .form-errors");
  if (!first) return;
  const form = first.closest("form");
  let summary = form.querySelector(".error-summary");
  if (!summary) {
    const items = [];
    form.querySelectorAll(".errorlist[id$='_error']").forEach((list) => {
      const fieldId = list.id.slice(0, -"_error".length);
      const label = form.querySelector(`label[for='${fieldId}']`);
      const name = label ? label.textContent.replace("*", "").trim() : "";
      const text = list.textContent.trim();
      items.push({ href: `#${fieldId}`, text: name ? `${name}: ${text}` : text });
    });
    if (!items.length) {
      // Only errors about the whole form: their box is the summary.
      first.setAttribute("tabindex", "-1");
      first.focus();
      return;
    }
    summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("aria-labelledby", "error-summary-title");
    const title = document.createElement("h2");
    title.id = "error-summary-title";
    title.textContent = document.body.dataset.errorSummary || "Biểu mẫu có lỗi, vui lòng sửa:";
    const list = document.createElement("ul");
    items.forEach((item) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = item.href;
      link.textContent = item.text;
      li.appendChild(link);
      list.appendChild(li);
    });
    summary.append(title, list);
    form.prepend(summary);
  }
  summary.setAttribute("tabindex", "-1");
  summary.focus();
});
