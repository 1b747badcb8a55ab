// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A form came back with errors: put the keyboard and screen reader on the summary that lists them.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
