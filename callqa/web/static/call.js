// Clicking a hit (or a transcript line) seeks the call's audio player there and plays.
(function () {
  var player = document.getElementById("player");
  if (!player) return;
  document.querySelectorAll("[data-seek]").forEach(function (el) {
    el.addEventListener("click", function () {
      player.currentTime = parseFloat(el.getAttribute("data-seek"));
      var playing = player.play();
      if (playing && playing.catch) playing.catch(function () {});
    });
  });
})();
