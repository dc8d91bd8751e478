// Switch between scenarios that were computed when the book was built.
// A scenario's picture loads when the scenario is chosen (data-src), not with the page,
// and a screen reader hears which scenario is shown.
(function () {
  "use strict";
  function init() {
    document.querySelectorAll(".explorer-static").forEach(function (box) {
      var selects = Array.prototype.slice.call(box.querySelectorAll("select"));
      var status = box.querySelector(".explorer-status");
      function update(announce) {
        var key = selects.map(function (s) { return s.value; }).join("|");
        box.querySelectorAll(".explorer-scenario").forEach(function (scenario) {
          scenario.hidden = scenario.dataset.key !== key;
          var img = scenario.querySelector("img[data-src]");
          if (!scenario.hidden && img) {
            img.loading = "eager"; // chosen: load it now, even if the page loads pictures lazily
            img.src = img.dataset.src;
            img.removeAttribute("data-src");
          }
        });
        if (announce && status) {
          status.textContent = "Showing the scenario " + selects.map(function (s) {
            return s.dataset.name + " = " + s.value;
          }).join(", ") + ".";
        }
      }
      selects.forEach(function (s) {
        s.addEventListener("change", function () { update(true); });
      });
      update(false);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
