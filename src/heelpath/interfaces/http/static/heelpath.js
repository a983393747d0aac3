/* heelpath: small enhancements on top of pages that work without JavaScript.
   - the body map: clicking a region ticks its checkbox (and the map follows the checkboxes);
   - an error summary takes the focus so keyboard and screen-reader users land on it. */
(function () {
  "use strict";

  function boxFor(map, region) {
    return document.getElementById(map.id + "-r-" + region);
  }

  function paint(map) {
    map.querySelectorAll(".region[data-region]").forEach(function (el) {
      var box = boxFor(map, el.getAttribute("data-region"));
      if (box) { el.classList.toggle("marked", box.checked); }
    });
  }

  function setUpMap(map) {
    map.addEventListener("click", function (event) {
      var region = event.target.closest(".region[data-region]");
      if (!region) { return; }
      var box = boxFor(map, region.getAttribute("data-region"));
      if (!box || box.disabled) { return; }
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    document.addEventListener("change", function (event) {
      if (event.target.matches && event.target.matches("[data-region-box]")) { paint(map); }
    });
    paint(map);
  }

  function ready() {
    document.querySelectorAll(".bodymap-input[data-bodymap]").forEach(setUpMap);
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
