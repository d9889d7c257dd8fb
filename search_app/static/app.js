// Progressive enhancement only: every feature works without this file.
// A facet checkbox submits its form at once, so the "Filters toepassen" button is not needed.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.facet-form")) {
    const button = form.querySelector(".apply-filters");
    if (button) button.hidden = true;
    form.addEventListener("change", (event) => {
      if (event.target.matches("input[type=checkbox]")) form.requestSubmit();
    });
  }
});
// The back button may bring this page back from the browser's cache exactly as it was left, with the
// checkbox that was just clicked still ticked; show the filters of this page's own URL again.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  for (const form of document.querySelectorAll("form.facet-form")) form.reset();
});
