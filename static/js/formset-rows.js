// Drafting lists (components, fees, legal basis, workflow steps): add and remove rows
// without saving. Without JavaScript the page already offers empty rows and a "Xóa"
// box per row, so nothing here is required; this only adds rows on demand.
(function () {
  "use strict";
  function totalInput(section) {
    return section.querySelector("input[name$='-TOTAL_FORMS']");
  }
  function enhanceRow(row) {
    var tools = row.querySelector("[data-row-tools]");
    var remove = row.querySelector("[data-row-remove]");
    var box = row.querySelector("input[type='checkbox'][name$='-DELETE']");
    if (!tools || !remove || !box) return;
    tools.hidden = false;
    function sync() {
      row.classList.toggle("row-removed", box.checked);
      remove.setAttribute("aria-pressed", box.checked ? "true" : "false");
      remove.textContent = box.checked ? remove.dataset.labelKeep : remove.dataset.labelRemove;
    }
    remove.addEventListener("click", function () {
      box.checked = !box.checked;
      sync();
    });
    box.addEventListener("change", sync);
    sync();
  }
  function setup(section) {
    var total = totalInput(section);
    var rows = section.querySelector("[data-formset-rows]");
    var template = section.querySelector("template[data-formset-empty]");
    var add = section.querySelector("[data-formset-add]");
    if (!total || !rows || !template || !add) return;
    rows.querySelectorAll("[data-formset-row]").forEach(enhanceRow);
    add.hidden = false;
    add.querySelector("button").addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      rows.appendChild(row);
      total.value = String(index + 1);
      enhanceRow(row);
      var first = row.querySelector("input:not([type='hidden']), select, textarea");
      if (first) first.focus();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-formset]").forEach(setup);
  });
})();
