// Telegram and VK posts in an article (polosa/news/embeds.py). The page shows a card with a link to
// the original; the network's own widget, its script and its cookies arrive only after the reader
// presses «Показать пост». Without scripts the button stays hidden and the link is what there is.
(function () {
  "use strict";
  window.Polosa = window.Polosa || { features: [] };

  // The documented widgets: Telegram's replaces its script tag with an iframe from t.me; VK's Open API
  // draws a post into a given element with VK.Widgets.Post. The CSP of a page with posts allows them.
  var TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-widget.js?22";
  var VK_SCRIPT = "https://vk.com/js/api/openapi.js?169";
  var vkWaiting = null;
  var count = 0;

  function script(src, failed) {
    var element = document.createElement("script");
    element.async = true;
    element.src = src;
    element.addEventListener("error", failed);
    return element;
  }

  function telegram(figure, frame, failed) {
    var element = script(TELEGRAM_SCRIPT, failed);
    element.setAttribute("data-telegram-post", figure.dataset.owner + "/" + figure.dataset.number);
    element.setAttribute("data-width", "100%");
    frame.appendChild(element);
  }

  function vk(figure, frame, failed) {
    var holder = document.createElement("div");
    holder.id = "vk_post_" + figure.dataset.owner + "_" + figure.dataset.number + "_" + (count += 1);
    frame.appendChild(holder);
    function draw() {
      window.VK.Widgets.Post(holder.id, Number(figure.dataset.owner), Number(figure.dataset.number), figure.dataset.key);
    }
    if (window.VK && window.VK.Widgets) return draw();
    if (vkWaiting) return vkWaiting.push({ draw: draw, failed: failed });
    vkWaiting = [{ draw: draw, failed: failed }];
    var element = script(VK_SCRIPT, function () {
      vkWaiting.forEach(function (item) { item.failed(); });
      vkWaiting = null;
    });
    element.addEventListener("load", function () {
      vkWaiting.forEach(function (item) { item.draw(); });
      vkWaiting = null;
    });
    document.head.appendChild(element);
  }

  window.Polosa.features.push(function posts(root) {
    root.querySelectorAll("[data-post-embed]").forEach(function (figure) {
      var button = figure.querySelector("[data-post-embed-load]");
      if (!button) return;  // a VK post without its export key: the link is all there is
      var frame = figure.querySelector("[data-post-embed-frame]");
      var card = figure.querySelector("[data-post-embed-card]");
      var notice = figure.querySelector("[data-post-embed-notice]");
      var failure = figure.querySelector("[data-post-embed-failed]");
      button.hidden = false;
      if (notice) notice.hidden = false;
      button.addEventListener("click", function () {
        // The card goes, the space it kept stays for the widget; the focus stays in the same place.
        frame.setAttribute("aria-busy", "true");
        card.hidden = true;
        frame.focus();
        function failed() {
          // The network could not be reached: the card comes back and says so, without the button.
          frame.removeAttribute("aria-busy");
          button.hidden = true;
          if (notice) notice.hidden = true;
          if (failure) failure.hidden = false;
          card.hidden = false;
        }
        (figure.dataset.network === "vk" ? vk : telegram)(figure, frame, failed);
        window.setTimeout(function () { frame.removeAttribute("aria-busy"); }, 5000);
      }, { once: true });
    });
  });
})();
