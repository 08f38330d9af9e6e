// Polosa reader scripts. The site works without them; they only add live behaviour.
// Each feature lives in its own module under polosa/js/ and registers here on load.
(function () {
  "use strict";
  window.Polosa = window.Polosa || { features: [] };
  document.addEventListener("DOMContentLoaded", function () {
    window.Polosa.features.forEach(function (start) {
      try { start(document); } catch (error) { console.warn("polosa feature failed", error); }
    });
  });
})();
