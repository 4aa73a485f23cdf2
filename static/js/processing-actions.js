// The processing page lists what the user can do now; each action's form sits
// in a closed <details>. A link of that list (or an address ending in
// #do-<action>) opens the form it points to and moves focus into it, so the
// page stays short and nobody hunts for a collapsed form.
(function () {
  "use strict";

  function reveal(id, focus) {
    var target = id && document.getElementById(id);
    if (!(target instanceof HTMLDetailsElement)) {
      return;
    }
    target.open = true;
    target.scrollIntoView({ block: "start" });
    if (focus) {
      var field = target.querySelector("textarea, select, input:not([type=hidden])");
      (field || target.querySelector("summary")).focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-open]") : null;
    if (link) {
      reveal(link.getAttribute("data-open"), true);
    }
  });

  function fromHash() {
    reveal(decodeURIComponent(window.location.hash.slice(1)), false);
  }

  window.addEventListener("hashchange", fromHash);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromHash);
  } else {
    fromHash();
  }
})();
