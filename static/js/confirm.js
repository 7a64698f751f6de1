// Destructive actions ask first: a form, or the button that submits it, with
// data-confirm="Remove this evidence?" shows that question, and the form is sent
// only when the person agrees. Links may carry it too. Without JavaScript the
// action simply happens, as the server allows it either way.
(function () {
  "use strict";

  function question(el) {
    return el && el.getAttribute ? el.getAttribute("data-confirm") : null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = question(event.submitter) || question(form);
    if (text && !window.confirm(text)) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-confirm]") : null;
    if (link && !window.confirm(question(link))) { event.preventDefault(); }
  });
}());
