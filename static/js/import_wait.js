// The page of an import from a link while the worker fetches it: ask the server again
// every 2 s, for the minute the page promises, and show the answer (the text to review,
// or why it failed) as soon as it is no longer waiting. Without JavaScript the page's
// "Check again" link does the same. (Not a <meta refresh>: a page that reloads itself
// on a timer is a WCAG 2.2.1 failure; this one changes only when its content does.)
(function () {
  "use strict";
  if (!document.querySelector("[data-import-waiting]") || !window.fetch) {
    return;
  }
  var started = Date.now();
  function poll() {
    if (Date.now() - started > 60000) {
      return;
    }
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.text().then(function (text) {
          if (response.redirected || text.indexOf("data-import-waiting") === -1) {
            window.location.replace(response.url);
          } else {
            window.setTimeout(poll, 2000);
          }
        });
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }
  window.setTimeout(poll, 2000);
})();
