// Quiz feedback in the browser: no server, no network, no tracking.
// Progress is kept only in this browser's local storage.
(function () {
  "use strict";
  var PREFIX = "coursekit-quiz:";

  function store(key, value) {
    try {
      if (value === undefined) { return JSON.parse(window.localStorage.getItem(PREFIX + key)); }
      window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch (error) { return null; } // storage off: feedback still works
    return null;
  }

  function parseNumber(text) {
    var cleaned = String(text).trim().replace(/\s/g, "").replace(",", ".").replace(/%$/, "");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) { return NaN; }
    return parseFloat(cleaned);
  }

  function show(form, correct, text) {
    var box = form.querySelector(".quiz-feedback");
    box.className = "quiz-feedback " + (correct ? "quiz-correct" : "quiz-wrong");
    box.textContent = "";
    var head = document.createElement("strong");
    head.textContent = correct ? "\u2714 Correct. " : "\u2718 Not yet. ";
    box.appendChild(head);
    box.appendChild(document.createTextNode(text));
  }

  function evaluate(form, data, restore) {
    if (data.type === "numeric") {
      var input = form.querySelector("input");
      if (restore) { input.value = restore.value; }
      var value = parseNumber(input.value);
      if (isNaN(value)) {
        show(form, false, "Type a number, for example 12.5.");
        return null;
      }
      var correct = Math.abs(value - data.answer) <= data.tolerance + 1e-9;
      var text = data.explain;
      if (!correct) {
        text = "Try again.";
        (data.wrong || []).forEach(function (wrong) {
          if (Math.abs(value - wrong.value) <= data.tolerance + 1e-9) { text = wrong.explain; }
        });
      }
      show(form, correct, text);
      return { value: input.value, correct: correct };
    }
    var boxes = Array.prototype.slice.call(form.querySelectorAll("input"));
    if (restore) {
      boxes.forEach(function (box) { box.checked = restore.value.indexOf(Number(box.value)) >= 0; });
    }
    var chosen = boxes.filter(function (box) { return box.checked; })
      .map(function (box) { return Number(box.value); });
    if (chosen.length === 0) {
      show(form, false, "Choose an answer first.");
      return null;
    }
    var right = data.options.map(function (o, i) { return o.correct ? i : -1; })
      .filter(function (i) { return i >= 0; });
    var ok = chosen.length === right.length && chosen.every(function (i) { return right.indexOf(i) >= 0; });
    var explanations = chosen.map(function (i) { return data.options[i].explain; }).join(" ");
    if (!ok && data.several && chosen.every(function (i) { return right.indexOf(i) >= 0; })) {
      explanations += " Some right answers are still missing.";
    }
    show(form, ok, explanations);
    return { value: chosen, correct: ok };
  }

  function updateProgress() {
    var forms = document.querySelectorAll("form.quiz");
    var done = 0;
    forms.forEach(function (form) {
      var saved = store(JSON.parse(form.dataset.quiz).id);
      if (saved && saved.correct) { done += 1; }
    });
    document.querySelectorAll(".quiz-progress").forEach(function (line) {
      line.textContent = "Your progress on this page: " + done + " of " + forms.length +
        " questions answered correctly. It is kept only in this browser.";
    });
  }

  function init() {
    document.querySelectorAll("form.quiz").forEach(function (form) {
      var data = JSON.parse(form.dataset.quiz);
      var saved = store(data.id);
      if (saved) { evaluate(form, data, saved); }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var result = evaluate(form, data, null);
        if (result) { store(data.id, result); updateProgress(); }
      });
    });
    updateProgress();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
