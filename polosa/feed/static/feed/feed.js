// The news feed's live behaviour. Every page works without it; it only adds:
// - the column's live refresh: polls the updates endpoint with If-None-Match (a 304 costs the server
//   no database query) and offers "N новых" to reveal new items, announced politely to screen readers;
// - "Показать ещё" in place: loads the next page of any listing into the current one;
// - the read beacon of an article page, whose answer updates the read counter of a cached page.
(function () {
  "use strict";
  window.Polosa = window.Polosa || { features: [] };

  function liveColumn(root) {
    var column = root.querySelector("[data-feed-column]");
    if (!column || !window.fetch) return;
    var list = column.querySelector("[data-feed-list]");
    var notice = column.querySelector("[data-feed-live]");
    var button = column.querySelector("[data-feed-reveal]");
    var announce = column.querySelector("[data-feed-announce]");
    var url = column.getAttribute("data-feed-updates");
    var etag = column.getAttribute("data-feed-etag") || "";
    var base = Math.max(1, parseFloat(column.getAttribute("data-feed-poll")) || 30) * 1000;
    var delay = base;
    var pending = null;
    var timer = null;

    function newest() {
      var top = 0;
      list.querySelectorAll("[data-published]").forEach(function (item) {
        top = Math.max(top, parseInt(item.getAttribute("data-published"), 10) || 0);
      });
      return top;
    }

    function replaceList(html) {
      list.innerHTML = html;
    }

    function schedule() {
      clearTimeout(timer);
      if (document.hidden) return; // resumes on visibilitychange
      timer = setTimeout(poll, delay * (0.9 + Math.random() * 0.2));
    }

    function poll() {
      var headers = {};
      if (etag) headers["If-None-Match"] = etag;
      fetch(url + "?since=" + newest(), { headers: headers, credentials: "omit", cache: "no-cache" })
        .then(function (response) {
          if (response.status === 304) return null;
          if (!response.ok) throw new Error("feed updates: HTTP " + response.status);
          etag = response.headers.get("ETag") || "";
          return response.json();
        })
        .then(function (data) {
          delay = base;
          if (!data) return;
          if (data.count > 0) {
            pending = data.html;
            button.textContent = data.notice;
            notice.hidden = false;
            announce.textContent = data.announcement;
          } else if (!list.contains(document.activeElement)) {
            // Edits and withdrawn items: refresh quietly unless the reader is inside the list.
            replaceList(data.html);
          }
        })
        .catch(function () {
          delay = Math.min(delay * 2, 300000); // back off while the server is unwell
        })
        .then(schedule);
    }

    button.addEventListener("click", function () {
      if (pending !== null) replaceList(pending);
      pending = null;
      notice.hidden = true;
      announce.textContent = "";
      list.focus();
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        clearTimeout(timer);
        poll();
      }
    });
    schedule();
  }

  function loadMore(root) {
    root.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("[data-load-more]");
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      var holder = link.closest("[data-listing-more]");
      var list = holder && holder.previousElementSibling;
      if (!list || !list.matches("[data-listing]") || !window.fetch || !window.DOMParser) return;
      event.preventDefault();
      link.setAttribute("aria-busy", "true");
      fetch(link.href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var next = doc.querySelector("[data-listing]");
          if (!next) throw new Error("no listing in the next page");
          var days = list.querySelectorAll("[data-day]");
          var lastDay = days.length ? days[days.length - 1].getAttribute("data-day") : null;
          var first = null;
          Array.prototype.slice.call(next.children).forEach(function (item, index) {
            // The next page repeats the day heading when a day spans both pages.
            if (index === 0 && lastDay && item.getAttribute("data-day") === lastDay) return;
            var added = document.importNode(item, true);
            list.appendChild(added);
            if (!first && !added.hasAttribute("data-day")) first = added;
          });
          var nextHolder = doc.querySelector("[data-listing-more]");
          if (nextHolder) {
            holder.replaceWith(document.importNode(nextHolder, true));
          } else {
            holder.remove();
          }
          var target = first && first.querySelector("a[href]");
          if (target) target.focus();
        })
        .catch(function () {
          // Fall back to an ordinary page load, which shows the server's own message.
          window.location.href = link.href;
        });
    });
  }

  function readBeacon(root) {
    var counter = root.querySelector("[data-read-url]");
    if (!counter || !window.fetch) return;
    var send = function () {
      fetch(counter.getAttribute("data-read-url"), {
        method: "POST",
        credentials: "omit",
        keepalive: true,
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.ok && response.status === 200 ? response.json() : null;
        })
        .then(function (data) {
          var value = counter.querySelector("[data-read-value]");
          if (data && value && typeof data.display === "string") value.textContent = data.display;
          if (data && data.reads > 0) counter.hidden = false;
        })
        .catch(function () {});
    };
    // After the page has finished loading: counting never competes with reading.
    if (document.readyState === "complete") {
      setTimeout(send, 0);
    } else {
      window.addEventListener("load", function () { setTimeout(send, 0); });
    }
  }

  window.Polosa.features.push(liveColumn, loadMore, readBeacon);
})();
