// Upload slots of the online dossier form. Progressive enhancement only:
// without JavaScript every form posts and the page reloads.
(function () {
  "use strict";

  // Refuse an oversize file before sending it (the server checks again).
  function checkSize(input) {
    const max = Number(input.dataset.maxBytes || 0);
    const file = input.files && input.files[0];
    input.setCustomValidity(max && file && file.size > max ? input.dataset.tooBig || "" : "");
  }

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.dataset.maxBytes) {
      checkSize(input);
      input.reportValidity();
    }
  });

  // After a slot is re-rendered, move focus to its status or error so screen
  // reader users hear the result.
  document.addEventListener("htmx:afterSwap", (event) => {
    const slot = event.detail && event.detail.target;
    const root = slot && slot.id ? document.getElementById(slot.id) : null;
    if (!root) return;
    const focus = root.querySelector("[role=alert]") || root.querySelector(".slot-status .message");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  });
})();
