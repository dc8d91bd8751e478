// Notebook downloads from a copied site opened from disk (file://).
// There, browsers ignore the "download" attribute of a link to another file and show the
// notebook as text. The page holds a copy of each notebook: save that copy instead.
document.addEventListener("DOMContentLoaded", () => {
  if (window.location.protocol !== "file:") return;
  for (const link of document.querySelectorAll(".notebook-downloads a[data-notebook]")) {
    link.addEventListener("click", (event) => {
      const copy = document.getElementById(link.dataset.notebook);
      if (!copy) return; // follow the link
      event.preventDefault();
      const blob = new Blob([copy.textContent], { type: "application/x-ipynb+json" });
      const url = URL.createObjectURL(blob);
      const save = document.createElement("a");
      save.href = url;
      save.download = link.getAttribute("href").split("/").pop();
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    });
  }
});
