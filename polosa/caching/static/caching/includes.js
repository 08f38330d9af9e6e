// Client-side includes (POLOSA_EDGE_INCLUDES=client): a cached page carries a placeholder for each
// shared piece that changes with every publish (the news feed); this fills it from the piece's own
// address, itself cached at the edge and purged on its own. Readers without scripts keep the
// placeholder, which links to where the piece's content lives.
(function () {
  "use strict";
  window.Polosa = window.Polosa || { features: [] };

  // The page's own features start on the whole document when it is parsed (site.js); a piece's
  // features must start once, on the piece, so a piece that arrives earlier waits until they have.
  var ready = document.readyState === "complete";
  var waiting = [];
  function started() {
    if (ready) return;
    ready = true;
    waiting.forEach(function (fn) { fn(); });
    waiting = [];
  }
  document.addEventListener("DOMContentLoaded", function () { setTimeout(started, 0); });
  window.addEventListener("load", started);
  function whenReady(fn) {
    if (ready) fn(); else waiting.push(fn);
  }

  function fill(holder) {
    var src = holder.getAttribute("data-polosa-include");
    fetch(src, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("include " + src + ": HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        whenReady(function () {
          holder.innerHTML = html;
          holder.removeAttribute("data-polosa-include");
          holder.classList.add("polosa-include--filled");
          window.Polosa.features.forEach(function (start) {
            try { start(holder); } catch (error) { console.warn("polosa feature failed", error); }
          });
        });
      })
      .catch(function (error) {
        holder.classList.add("polosa-include--failed");
        console.warn(error);
      });
  }

  document.querySelectorAll("[data-polosa-include]").forEach(fill);
})();
