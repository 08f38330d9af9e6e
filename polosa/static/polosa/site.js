// Polosa reader scripts. The site works without them; they only add live behaviour.
// Each feature lives in its own module under polosa/js/ and registers here on load.
(function () {
  "use strict";
  window.Polosa = window.Polosa || { features: [] };

  // The phone header's menu button: opens and closes the section list and search; Escape closes it
  // and gives the focus back to the button. CSS shows the button only when scripts run.
  window.Polosa.features.push(function menu(root) {
    var button = root.querySelector("[data-menu-button]");
    if (!button) return;
    var panel = root.getElementById(button.getAttribute("aria-controls"));
    function set(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
    button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") { set(false); button.focus(); }
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    window.Polosa.features.forEach(function (start) {
      try { start(document); } catch (error) { console.warn("polosa feature failed", error); }
    });
  });
})();
