// The «Предложенные теги» panel: loads its contents, refreshes them, and adds a chosen tag or a
// related-article card to the form being edited (the editor still saves the article).
(function () {
  "use strict";

  function csrfToken() {
    const input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function chosenValues(selector) {
    // Inline rows marked for deletion keep their value but leave on save.
    return Array.from(document.querySelectorAll(selector))
      .filter((input) => {
        const prefix = input.name.replace(/-[^-]+$/, "");
        const deleted = document.querySelector(`input[name='${prefix}-DELETE']`);
        return input.value && !(deleted && deleted.value === "1");
      })
      .map((input) => input.value);
  }

  function formState() {
    const params = new URLSearchParams();
    params.set("tags", chosenValues("input[name^='tag_links-'][name$='-tag']").join(","));
    params.set("related", chosenValues("input[name^='body-'][name$='-value-article']").join(","));
    return params;
  }

  function setChooser(input, id, title, editUrl) {
    input.value = id;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    const chooser = document.getElementById(`${input.id}-chooser`);
    if (!chooser) return;
    chooser.classList.remove("blank");
    const titleElement = chooser.querySelector("[data-chooser-title]");
    if (titleElement) titleElement.textContent = title;
    const edit = chooser.querySelector("[data-chooser-edit-link]");
    if (edit && editUrl) {
      edit.setAttribute("href", editUrl);
      edit.hidden = false;
    }
  }

  function waitFor(find, timeout = 3000) {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      (function poll() {
        const found = find();
        if (found) return resolve(found);
        if (Date.now() - started > timeout) return reject(new Error("not found"));
        window.setTimeout(poll, 50);
      })();
    });
  }

  function addTagRow(tag) {
    const add = document.getElementById("id_tag_links-ADD");
    const total = document.getElementById("id_tag_links-TOTAL_FORMS");
    if (!add || !total) return false;
    add.click();
    const index = Number(total.value) - 1;
    const input = document.getElementById(`id_tag_links-${index}-tag`);
    if (!input) return false;
    setChooser(input, tag.id, tag.title, tag.edit_url);
    return true;
  }

  async function insertRelatedCard(id, title, label) {
    const before = new Set(
      Array.from(document.querySelectorAll("input[name^='body-'][name$='-value-article']")).map((i) => i.id),
    );
    const buttons = document.querySelectorAll("button.c-sf-add-button");
    if (!buttons.length) return false;
    buttons[buttons.length - 1].click();
    const option = await waitFor(() =>
      Array.from(document.querySelectorAll("[role='option']")).find((o) => o.textContent.trim() === label),
    );
    option.click();
    const input = await waitFor(() =>
      Array.from(document.querySelectorAll("input[name^='body-'][name$='-value-article']")).find(
        (i) => !before.has(i.id),
      ),
    );
    setChooser(input, id, title, "");
    return true;
  }

  function init(panel) {
    const url = panel.dataset.url;
    if (!url) return;
    const content = panel.querySelector("[data-nlp-content]");

    async function show(response) {
      content.innerHTML = await response.text();
      panel.dataset.state = "ready";
      return response.headers.get("X-Nlp-Stale") === "1";
    }

    async function load() {
      panel.dataset.state = "loading";
      return show(await fetch(`${url}?${formState()}`, { credentials: "same-origin" }));
    }

    async function refresh() {
      panel.dataset.state = "loading";
      const response = await fetch(`${url}refresh/`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
        body: formState(),
      });
      return show(response);
    }

    content.addEventListener("click", async (event) => {
      const addButton = event.target.closest("[data-nlp-add]");
      const relatedButton = event.target.closest("[data-nlp-related]");
      if (event.target.closest("[data-nlp-refresh]")) {
        await refresh();
      } else if (addButton) {
        addButton.disabled = true;
        const response = await fetch(`${url}add/${addButton.dataset.nlpAdd}/`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken() },
        });
        const data = await response.json();
        if (!response.ok) {
          addButton.disabled = false;
          addButton.title = data.error || "";
          return;
        }
        addTagRow(data);
        await load();
      } else if (relatedButton) {
        relatedButton.disabled = true;
        await insertRelatedCard(relatedButton.dataset.nlpRelated, relatedButton.dataset.title, panel.dataset.relatedLabel);
        await load();
      }
    });

    // Opened after a save: the analysis of the new revision may still be queued; do it now then.
    load().then((stale) => (stale ? refresh() : null));
  }

  function start() {
    document.querySelectorAll("[data-nlp-panel]").forEach(init);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
