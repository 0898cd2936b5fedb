// Quick exit: leave at once for a neutral site, replacing this page in the history
// so the Back button does not return to Haven. Escape pressed twice also exits.
(function () {
  function leave() { window.location.replace("https://www.bbc.co.uk/weather"); }
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-quick-exit]")) { e.preventDefault(); leave(); }
    if (e.target.closest && e.target.closest("[data-print]")) { e.preventDefault(); window.print(); }
  });
  var last = 0;
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { var now = Date.now(); if (now - last < 800) { leave(); } last = now; }
  });
})();
