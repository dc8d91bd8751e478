// Switch between scenarios that were computed when the book was built.
(function () {
  "use strict";
  function init() {
    document.querySelectorAll(".explorer-static").forEach(function (box) {
      var selects = Array.prototype.slice.call(box.querySelectorAll("select"));
      function update() {
        var key = selects.map(function (s) { return s.value; }).join("|");
        box.querySelectorAll(".explorer-scenario").forEach(function (scenario) {
          scenario.hidden = scenario.dataset.key !== key;
        });
      }
      selects.forEach(function (s) { s.addEventListener("change", update); });
      update();
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
