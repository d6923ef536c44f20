// Place the timeline bar's segments (positions in per cent, from data attributes: the
// page's Content-Security-Policy allows no inline styles).  Clicks seek via call.js.
(function () {
  document.querySelectorAll("#timeline .seg").forEach(function (el) {
    el.style.left = el.getAttribute("data-left") + "%";
    el.style.width = el.getAttribute("data-width") + "%";
  });
})();
