// Search result summaries are fetched from the pages, which browsers refuse for files
// opened from disk (file://). Show the results without summaries there.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

// The menu button on phones and tablets. pydata-sphinx-theme 0.17 adds a second button
// with the class "primary-toggle" in its top bar, hidden by this theme, and both themes
// attach their handlers to the first one in the page only, so the visible button did
// nothing (pydata-sphinx-theme issue 2451, sphinx-book-theme issue 988). A click on any
// other toggle is passed to the first, which opens the menu on narrow screens and hides
// or shows the sidebar on wide ones.
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary-toggle", "secondary-toggle"]) {
    const [first, ...others] = document.querySelectorAll("." + kind);
    for (const other of others) {
      other.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    }
  }
});

// A cell output wider than the column (a wide table) scrolls inside its box. The theme
// makes such a box reachable with the keyboard; here it also gets a role and a name,
// so that a screen reader says what scrolls.
document.addEventListener("DOMContentLoaded", () => {
  const name = () => {
    for (const box of document.querySelectorAll(".bd-article .cell_output > .output")) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Output of the code above, scrolls sideways");
        box.tabIndex = 0;
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  };
  name();
  window.addEventListener("resize", name);
});
