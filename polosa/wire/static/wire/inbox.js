// The inbox asks every few seconds for rows newer than the newest it shows and puts them on top.
(function () {
  "use strict";
  var table = document.querySelector("[data-wire-inbox]");
  if (!table || document.location.search.indexOf("before=") !== -1) return;
  var body = table.querySelector("[data-wire-rows]");
  var notice = document.querySelector("[data-wire-new]");
  var every = parseInt(table.getAttribute("data-every") || "5000", 10);
  var added = 0;

  function refresh() {
    var url = table.getAttribute("data-rows-url");
    var cursor = table.getAttribute("data-cursor") || "";
    url += (url.indexOf("?") === -1 ? "?" : "&") + "after=" + encodeURIComponent(cursor || "1970-01-01T00:00:00+00:00_0");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.count) return;
        var empty = body.querySelector("[data-wire-empty]");
        if (empty) empty.remove();
        body.insertAdjacentHTML("afterbegin", data.html);
        table.setAttribute("data-cursor", data.cursor);
        added += data.count;
        if (notice) {
          notice.hidden = false;
          notice.textContent = (notice.getAttribute("data-label") || "+") + " " + added;
        }
      })
      .catch(function () {})
      .finally(function () { window.setTimeout(refresh, every); });
  }
  window.setTimeout(refresh, every);
})();
