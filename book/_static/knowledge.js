/* Filter and search the list of cases of the knowledge base (the page knowledge/index.html).
   No library, no network: it works from disk. Without script, every case stays listed.
   A link such as index.html?country=TJK&q=pension opens the list already filtered. */
function knowledgeIndex() {
  "use strict";
  var form = document.querySelector(".case-filters");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".case-list > li"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var search = form.querySelector("input[type=search]");
  var count = document.querySelector(".case-count");
  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var texts = items.map(function (li) { return fold(li.textContent); });
  var params = new URLSearchParams(window.location.search);
  selects.forEach(function (select) {
    var wanted = params.get(select.dataset.key);
    if (wanted && select.querySelector('option[value="' + wanted + '"]')) select.value = wanted;
  });
  if (params.get("q")) search.value = params.get("q");
  function apply() {
    var words = fold(search.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = selects.every(function (select) {
        var tags = " " + (li.getAttribute("data-" + select.dataset.key) || "") + " ";
        return !select.value || tags.indexOf(" " + select.value + " ") >= 0;
      }) && words.every(function (word) { return texts[i].indexOf(word) >= 0; });
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown === items.length
      ? "All " + items.length + " cases are shown."
      : shown + " of " + items.length + " cases are shown.";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", knowledgeIndex);
} else {
  knowledgeIndex();
}
