// Search result summaries are fetched from the pages, which browsers refuse for files
// opened from disk (file://). Show the results without summaries there.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
