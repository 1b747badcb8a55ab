// The expedite review page: show only the decision's fields that the chosen decision uses. Progressive
// enhancement: without this file every field shows, each with a hint saying which decisions use it, and the
// server checks the ones needed either way. Loaded as a file (the CSP admits no inline script).
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("decision-form");
    if (!form) {
      return;
    }
    var radios = form.querySelectorAll("input[name=action]");
    var fields = form.querySelectorAll("[data-decisions]");
    function update() {
      var chosen = form.querySelector("input[name=action]:checked");
      var action = chosen ? chosen.value : "";
      fields.forEach(function (field) {
        field.hidden = field.getAttribute("data-decisions").split(" ").indexOf(action) === -1;
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
