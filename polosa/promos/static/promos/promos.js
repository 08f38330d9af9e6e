// Counts promo impressions: a promo is "seen" once at least half of it was on screen for a second.
// The names of the seen promos go to the server in one beacon (no cookies, no reader data).
(function () {
  "use strict";
  window.Polosa = window.Polosa || { features: [] };

  function impressions(root) {
    var items = root.querySelectorAll("[data-promo-item]");
    if (!items.length || !("IntersectionObserver" in window) || !navigator.sendBeacon) return;
    var endpoint = "/_util/promos/seen/";
    var sent = {};
    var queue = [];
    var timers = new Map();
    var flushTimer = null;

    function flush() {
      flushTimer = null;
      if (!queue.length) return;
      var body = queue.splice(0, 20).join(",");
      navigator.sendBeacon(endpoint, new Blob([body], { type: "text/plain" }));
      if (queue.length) flushTimer = setTimeout(flush, 0);
    }

    function seen(name) {
      if (sent[name]) return;
      sent[name] = true;
      queue.push(name);
      if (!flushTimer) flushTimer = setTimeout(flush, 2000);
    }

    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var name = entry.target.getAttribute("data-promo-item");
        if (entry.isIntersecting && entry.intersectionRatio >= 0.5) {
          if (!timers.has(entry.target)) {
            timers.set(entry.target, setTimeout(function () {
              observer.unobserve(entry.target);
              seen(name);
            }, 1000));
          }
        } else if (timers.has(entry.target)) {
          clearTimeout(timers.get(entry.target));
          timers.delete(entry.target);
        }
      });
    }, { threshold: [0, 0.5] });

    items.forEach(function (item) { observer.observe(item); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
  }

  window.Polosa.features.push(impressions);
})();
