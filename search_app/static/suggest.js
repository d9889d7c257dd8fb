// Progressive enhancement: while someone types in a search box, offer finished words and the titles
// of matching documents (/api/suggesties) in the browser's own list (<datalist>). Choosing a title
// opens that document; without this file every search box works as before.
const SUGGEST_AFTER_CHARS = 3;
const SUGGEST_DELAY_MS = 200;

function option(value, label) {
  const element = document.createElement("option");
  element.value = value;
  if (label) element.label = label; // shown beside the value
  return element;
}

function enhance(input) {
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggesties`;
  input.after(list);
  input.setAttribute("list", list.id);
  let timer = null;
  let pending = null;
  let documents = new Map(); // title -> address of the document
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < SUGGEST_AFTER_CHARS || documents.has(input.value)) return;
    timer = setTimeout(async () => {
      if (pending) pending.abort();
      pending = new AbortController();
      try {
        const response = await fetch(`/api/suggesties?q=${encodeURIComponent(text)}`, { signal: pending.signal });
        if (!response.ok) return;
        const found = await response.json();
        documents = new Map(found.titles.map((hit) => [hit.title, hit.url]));
        list.replaceChildren(
          ...found.words.map((word) => option(word)),
          ...found.titles.map((hit) => option(hit.title, "document")),
        );
      } catch (error) {
        if (error.name !== "AbortError") list.replaceChildren(); // no suggestions; searching still works
      }
    }, SUGGEST_DELAY_MS);
  });
  input.form.addEventListener("submit", (event) => {
    const address = documents.get(input.value);
    if (address) {
      event.preventDefault();
      window.location.assign(address);
    }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  // The public search boxes only: the staff overview's box lists documents to edit.
  const boxes = document.querySelectorAll("form[role=search][action$='/zoeken'] input[type=search][name=q][id]");
  for (const input of boxes) enhance(input);
});
