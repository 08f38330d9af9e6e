// Word and character counts under the headline, the lead and the body of the page editor.
// The label comes from the page (translated there): "Слов: {words} · знаков: {chars}".
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("newsroom-counts-config").textContent);

  function count(text) {
    var trimmed = text.replace(/\s+/g, " ").trim();
    return { words: trimmed ? trimmed.split(" ").length : 0, chars: trimmed.length };
  }

  function label(text) {
    var n = count(text);
    return config.label.replace("{words}", n.words).replace("{chars}", n.chars);
  }

  function counter(after, name) {
    var node = document.querySelector('[data-newsroom-count="' + name + '"]');
    if (!node && after) {
      node = document.createElement("p");
      node.className = "help newsroom-count";
      node.setAttribute("data-newsroom-count", name);
      node.setAttribute("aria-live", "polite");
      after.insertAdjacentElement("afterend", node);
    }
    return node;
  }

  function bodyText() {
    var parts = [];
    document.querySelectorAll("[data-contentpath='body'] [contenteditable='true'], [data-contentpath='body'] textarea, [data-contentpath='body'] input[type='text']").forEach(function (el) {
      parts.push(el.value !== undefined && el.tagName !== "DIV" ? el.value : el.innerText);
    });
    return parts.join(" ");
  }

  function update() {
    config.fields.forEach(function (name) {
      var input = document.getElementById("id_" + name);
      if (input) counter(input, name).textContent = label(input.value);
    });
    var body = document.querySelector("[data-contentpath='body']");
    if (body) counter(body.querySelector(":scope > label, :scope h2, :scope legend") || body.firstElementChild, "body").textContent = label(bodyText());
  }

  var pending = null;
  function schedule() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () { pending = null; update(); });
  }
  document.addEventListener("input", schedule, true);
  document.addEventListener("keyup", schedule, true);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { update(); setTimeout(update, 1500); });
  } else {
    update();
    setTimeout(update, 1500);
  }
})();
