// Desk bulk selection: a "select all on this page" box, shown only with JS
// (without it the officer ticks each row; nothing else depends on this file).
(function () {
  "use strict";
  function setup(form) {
    var all = form.querySelector("[data-bulk-all]");
    if (!all) return;
    var boxes = form.querySelectorAll("input[name='ho_so']");
    var wrap = all.closest("[hidden]");
    if (wrap) wrap.hidden = false;
    function sync() {
      var checked = 0;
      boxes.forEach(function (box) { if (box.checked) checked += 1; });
      all.checked = checked > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-bulk-select]").forEach(setup);
  });
})();
