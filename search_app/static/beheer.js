// Progressive enhancement for the upload form: drop files onto the drop zone.
document.addEventListener("DOMContentLoaded", () => {
  const zone = document.querySelector(".dropzone");
  const input = zone && zone.querySelector("input[type=file]");
  if (!zone || !input) return;
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => { event.preventDefault(); zone.classList.add("active"); });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("active"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    input.files = event.dataTransfer.files;
  });
});
