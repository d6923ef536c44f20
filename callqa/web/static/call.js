// Clicking a hit (or a transcript line) seeks the call's audio player there and plays.
// A link with ?t=SECONDS (from a search result or the review queue) opens the call there.
(function () {
  var player = document.getElementById("player");
  if (!player) return;
  function seek(t, play) {
    player.currentTime = t;
    document.querySelectorAll(".utt").forEach(function (li) {
      var start = parseFloat(li.getAttribute("data-seek"));
      var end = parseFloat(li.getAttribute("data-end"));
      li.classList.toggle("here", start <= t + 0.01 && t < end);
    });
    if (play) {
      var playing = player.play();
      if (playing && playing.catch) playing.catch(function () {});
    }
  }
  document.querySelectorAll("[data-seek]").forEach(function (el) {
    el.addEventListener("click", function () {
      seek(parseFloat(el.getAttribute("data-seek")), true);
    });
  });
  var t = parseFloat(new URLSearchParams(window.location.search).get("t"));
  if (!isNaN(t) && t >= 0) {
    var start = function () {
      seek(t, false);
      var line = document.querySelector(".utt.here");
      if (line) line.scrollIntoView({block: "center"});
    };
    if (player.readyState >= 1) start();
    else player.addEventListener("loadedmetadata", start, {once: true});
  }
})();
