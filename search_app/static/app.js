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
