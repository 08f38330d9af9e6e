// Live broadcast player and live-blog updates. Every page works without this script:
// - the player is a link to the stream with a poster; the script turns a click into playback in the
//   page (the browser's own HLS where it has one, the vendored hls.js otherwise, loaded only then),
//   and shows the server-rendered Russian error with a retry button on any failure;
// - a live blog is rendered whole on the server; the script applies new, edited and deleted entries
//   from the event stream (/_util/live/<id>/events/), and polls /_util/live/<id>/updates/ when the
//   stream keeps failing.
(function () {
  "use strict";
  if (window.PolosaLive) return; // the block and the blog page may both include the script
  window.PolosaLive = { started: true };

  // --- Player -----------------------------------------------------------------------------------

  var STALL_MS = 20000; // no picture this long after the click counts as a failure
  var hlsLoading = null;

  function loadHls(src) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsLoading) {
      hlsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { window.Hls ? resolve(window.Hls) : reject(new Error("hls.js")); };
        script.onerror = function () { hlsLoading = null; reject(new Error("hls.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return hlsLoading;
  }

  function player(root) {
    var start = root.querySelector("[data-live-start]");
    var errorBox = root.querySelector("[data-live-error]");
    var retry = root.querySelector("[data-live-retry]");
    var stream = root.getAttribute("data-stream");
    var embed = root.getAttribute("data-embed");
    var hls = null;
    var video = null;
    var stallTimer = null;

    function cleanup() {
      clearTimeout(stallTimer);
      if (hls) { hls.destroy(); hls = null; }
      if (video) { video.removeAttribute("src"); video.load(); video.remove(); video = null; }
      var frame = root.querySelector("iframe");
      if (frame) frame.remove();
    }

    function fail(reason) {
      if (window.console) console.warn("live player:", reason);
      cleanup();
      start.hidden = true;
      errorBox.hidden = false;
      root.setAttribute("data-state", "error");
      retry.focus();
    }

    function playing() {
      clearTimeout(stallTimer);
      root.setAttribute("data-state", "playing");
    }

    function play() {
      cleanup();
      errorBox.hidden = true;
      start.hidden = true;
      root.setAttribute("data-state", "loading");
      if (embed) {
        var frame = document.createElement("iframe");
        frame.src = embed + (embed.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
        frame.title = root.getAttribute("data-title") || "";
        frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
        frame.setAttribute("allowfullscreen", "");
        frame.className = "live-player__frame";
        root.insertBefore(frame, errorBox);
        root.setAttribute("data-state", "playing");
        return;
      }
      video = document.createElement("video");
      video.className = "live-player__video";
      video.controls = true;
      video.playsInline = true;
      video.preload = "none";
      video.setAttribute("aria-label", root.getAttribute("data-title") || "");
      root.insertBefore(video, errorBox);
      video.addEventListener("playing", playing);
      video.addEventListener("error", function () { fail("media error"); });
      stallTimer = setTimeout(function () { fail("no picture after " + STALL_MS + " ms"); }, STALL_MS);
      var startPlayback = function () {
        var promise = video && video.play();
        if (promise && promise.catch) promise.catch(function (e) {
          if (e && e.name !== "AbortError") fail(e.name || "play() refused");
        });
      };
      if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.src = stream;
        startPlayback();
        return;
      }
      loadHls(root.getAttribute("data-hls-script"))
        .then(function (Hls) {
          if (!video) return;
          if (!Hls.isSupported()) return fail("no HLS support");
          // No worker: the CSP allows no blob: scripts, and one stream does not need it.
          hls = new Hls({ enableWorker: false, lowLatencyMode: true, manifestLoadingMaxRetry: 2, levelLoadingMaxRetry: 2 });
          hls.on(Hls.Events.ERROR, function (event, data) { if (data.fatal) fail("hls.js: " + data.details); });
          hls.on(Hls.Events.MANIFEST_PARSED, startPlayback);
          hls.loadSource(stream);
          hls.attachMedia(video);
        })
        .catch(function (e) { fail(e.message); });
    }

    start.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return; // new tab: let it
      event.preventDefault();
      play();
    });
    retry.addEventListener("click", play);
    root.setAttribute("data-ready", "");
  }

  // --- Live blog --------------------------------------------------------------------------------

  function liveBlog(root) {
    var pinned = root.querySelector("[data-live-pinned]");
    var list = root.querySelector("[data-live-entries]");
    var notice = root.querySelector("[data-live-notice]");
    var eventsUrl = root.getAttribute("data-events-url");
    var updatesUrl = root.getAttribute("data-updates-url");
    var last = parseInt(root.getAttribute("data-last-event"), 10) || 0;
    var pollMs = Math.max(2, parseFloat(root.getAttribute("data-poll-seconds")) || 10) * 1000;
    var source = null;
    var failures = 0;
    var pollTimer = null;
    var finished = false;

    function parse(html) {
      var box = document.createElement("div");
      box.innerHTML = html;
      return box.firstElementChild;
    }

    // data-sort is "<posted, microseconds>.<id>": newest first, the later id first at the same time.
    function sortKey(el) {
      var parts = (el.getAttribute("data-sort") || "0.0").split(".");
      return [Number(parts[0]) || 0, Number(parts[1]) || 0];
    }

    function before(a, b) {
      var x = sortKey(a), y = sortKey(b);
      return x[0] > y[0] || (x[0] === y[0] && x[1] > y[1]);
    }

    function place(el, container) {
      var items = container.children;
      for (var i = 0; i < items.length; i++) {
        if (before(el, items[i])) { container.insertBefore(el, items[i]); return; }
      }
      container.appendChild(el);
    }

    function apply(data) {
      if (data.id) last = Math.max(last, data.id);
      var old = document.getElementById("entry-" + data.entry);
      if (data.kind === "delete") {
        if (old) old.remove();
      } else if (data.kind === "entry") {
        var el = parse(data.html);
        if (!el) return;
        var container = data.pinned ? pinned : list;
        if (old && old.parentNode === container && old.getAttribute("data-sort") === el.getAttribute("data-sort")) {
          container.replaceChild(el, old);
        } else {
          if (old) old.remove();
          place(el, container);
        }
        // An entry's own features (a Telegram or VK post's button) start on it, as on the first page.
        (window.Polosa && window.Polosa.features || []).forEach(function (start) {
          try { start(el); } catch (error) { if (window.console) console.warn("polosa feature failed", error); }
        });
        var empty = root.querySelector("[data-live-empty]");
        if (empty) empty.remove();
        if (!old && notice) notice.textContent = root.getAttribute("data-text-new") || "";
      } else if (data.kind === "closed") {
        stop();
        if (notice) notice.textContent = root.getAttribute("data-text-closed") || "";
      }
    }

    function stop() {
      finished = true;
      if (source) { source.close(); source = null; }
      clearTimeout(pollTimer);
    }

    function onMessage(event) {
      try { apply(JSON.parse(event.data)); } catch (e) { if (window.console) console.warn(e); }
    }

    function poll() {
      if (finished) return;
      root.setAttribute("data-live-state", "polling");
      fetch(updatesUrl + "?after=" + last, { credentials: "omit", cache: "no-cache" })
        .then(function (response) {
          if (response.status === 304) return null;
          if (!response.ok) throw new Error("live updates: HTTP " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (data) {
            data.events.forEach(apply);
            last = Math.max(last, data.last || 0);
            if (data.closed) stop();
          }
        })
        .catch(function (e) { if (window.console) console.warn(e); })
        .then(function () {
          if (!finished) pollTimer = setTimeout(poll, pollMs * (0.9 + Math.random() * 0.2));
        });
    }

    function connect() {
      if (finished) return;
      if (!window.EventSource) { poll(); return; }
      source = new EventSource(eventsUrl + "?after=" + last);
      ["entry", "delete", "closed"].forEach(function (kind) { source.addEventListener(kind, onMessage); });
      source.onopen = function () { failures = 0; root.setAttribute("data-live-state", "open"); };
      source.onerror = function () {
        failures += 1;
        root.setAttribute("data-live-state", "reconnecting");
        // The browser retries by itself with Last-Event-ID; after a few failures in a row (or when it
        // gave up) the page falls back to polling, which proxies and firewalls always let through.
        if (failures >= 3 || (source && source.readyState === EventSource.CLOSED)) {
          if (source) { source.close(); source = null; }
          poll();
        }
      };
    }

    connect();
  }

  function init() {
    document.querySelectorAll("[data-live-player]").forEach(player);
    document.querySelectorAll("[data-live-blog]").forEach(liveBlog);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
