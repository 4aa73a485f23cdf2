// Every POST form is sent once (issue #15 item 8).
//
// - The first time a form is sent it gets a hidden random "idempotency_key";
//   the same form sent again carries the same key, so the server
//   (tthc_portal/web/idempotency.py) answers a repeat with the first result
//   instead of acting twice.
// - While the request runs, the form is aria-busy, its submit buttons are
//   disabled and a role="status" text says "Đang xử lý…": a second click does
//   nothing, and the person sees that the portal is working (signing a result
//   can take seconds).
// - Coming back to the page (back/forward cache) or a request that never
//   navigates gives the buttons back.
//
// Opt out with data-idempotency="off" on the form. No inline script or style:
// the page's CSP allows neither.
(function () {
  "use strict";

  var FIELD = "idempotency_key";
  var DONE_BY_ITSELF_MS = 20000; // no navigation by then: stopped, or a download
  var FALLBACK_TEXT = "Đang xử lý…";

  function busyText() {
    return (document.body && document.body.getAttribute("data-busy-text")) || FALLBACK_TEXT;
  }

  function newKey() {
    // getRandomValues works on plain-http hosts too (randomUUID needs HTTPS).
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function sendsPost(form, submitter) {
    if (!(form instanceof HTMLFormElement) || form.getAttribute("data-idempotency") === "off") {
      return false;
    }
    var method = submitter && submitter.hasAttribute("formmethod") ? submitter.formMethod : form.method;
    return String(method).toLowerCase() === "post";
  }

  function ensureKey(form) {
    var input = form.querySelector('input[type="hidden"][name="' + FIELD + '"]');
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = FIELD;
      input.value = newKey();
      form.appendChild(input);
    }
    return input;
  }

  function forgetKey(form) {
    var input = form.querySelector('input[type="hidden"][name="' + FIELD + '"]');
    if (input) {
      input.remove();
    }
  }

  function submitButtons(form) {
    // form.elements also holds buttons outside the form that name it (form="…").
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.type === "submit" || el.type === "image";
    });
  }

  function statusRegion(form) {
    var region = form.querySelector(".submit-progress");
    if (!region) {
      region = document.createElement("span");
      region.className = "submit-progress";
      region.setAttribute("role", "status");
      form.appendChild(region);
    }
    return region;
  }

  function prepare(root) {
    // An empty live region present before the text arrives is announced reliably.
    var forms = root.querySelectorAll ? root.querySelectorAll("form") : [];
    Array.prototype.forEach.call(forms, function (form) {
      if (sendsPost(form, null)) {
        statusRegion(form);
      }
    });
  }

  function setBusy(form, submitter) {
    form.setAttribute("aria-busy", "true");
    submitButtons(form).forEach(function (button) {
      if (!button.disabled) {
        button.disabled = true;
        button.setAttribute("data-submit-once-disabled", "");
      }
    });
    if (submitter) {
      submitter.classList.add("is-submitting");
    }
    statusRegion(form).textContent = busyText();
    form._submitOnceTimer = window.setTimeout(function () {
      clearBusy(form);
    }, DONE_BY_ITSELF_MS);
  }

  function clearBusy(form) {
    window.clearTimeout(form._submitOnceTimer);
    delete form.dataset.submitting;
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (button) {
      if (button.hasAttribute("data-submit-once-disabled")) {
        button.disabled = false;
        button.removeAttribute("data-submit-once-disabled");
      }
      button.classList.remove("is-submitting");
    });
    var region = form.querySelector(".submit-progress");
    if (region) {
      region.textContent = "";
    }
  }

  // Capture phase: before htmx's own handler on the form serialises it, and
  // before anything else reacts to a second click.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!sendsPost(form, event.submitter)) {
        return;
      }
      if (form.dataset.submitting === "true") {
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      ensureKey(form);
    },
    true
  );

  // Bubble phase: only a submission nobody cancelled becomes busy (htmx cancels
  // the native one and sends its own: see the htmx events below).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !sendsPost(form, event.submitter)) {
      return;
    }
    form.dataset.submitting = "true";
    var submitter = event.submitter;
    // Later, not now: a disabled button is left out of the data being sent,
    // and some buttons carry a value (name="language" value="en").
    window.setTimeout(function () {
      setBusy(form, submitter);
    }, 0);
  });

  function htmxForm(event) {
    var elt = event.detail && event.detail.elt;
    var verb = event.detail && event.detail.requestConfig && event.detail.requestConfig.verb;
    if (!(elt instanceof HTMLFormElement) || (verb && String(verb).toLowerCase() !== "post")) {
      return null;
    }
    return sendsPost(elt, null) ? elt : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = htmxForm(event);
    if (form) {
      form.dataset.submitting = "true";
      setBusy(form, null);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = htmxForm(event);
    if (form) {
      clearBusy(form);
      // The form stays on the page: sending it again is a new request.
      forgetKey(form);
    }
  });

  document.addEventListener("htmx:load", function (event) {
    prepare(event.target);
  });

  // Back to a page kept in the back/forward cache: its forms were left busy.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("form"), clearBusy);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      prepare(document);
    });
  } else {
    prepare(document);
  }
})();
