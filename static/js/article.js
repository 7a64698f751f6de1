// Selecting words in the article fills the "Add a claim" form: the exact
// text, and which occurrence it is when the same words appear more than once.
// Without JavaScript the form works the same; the server checks everything.
(function () {
  "use strict";
  var body = document.getElementById("article-body");
  var quote = document.getElementById("quote");
  var occurrence = document.getElementById("occurrence");
  if (!body || !quote) { return; }

  // Rebuild the article text from the segments: each carries its offset
  // (data-s); the gaps between them are the line breaks between paragraphs.
  function articleText() {
    var parts = [];
    var length = 0;
    body.querySelectorAll("[data-s]").forEach(function (el) {
      var start = parseInt(el.getAttribute("data-s"), 10);
      if (start > length) { parts.push("\n".repeat(start - length)); length = start; }
      parts.push(el.textContent);
      length += el.textContent.length;
    });
    return parts.join("");
  }

  function offsetOf(node, offset) {
    var el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    var seg = el && el.closest ? el.closest("[data-s]") : null;
    if (!seg || !body.contains(seg)) { return null; }
    if (node.nodeType !== Node.TEXT_NODE) { offset = offset > 0 ? seg.textContent.length : 0; }
    return parseInt(seg.getAttribute("data-s"), 10) + offset;
  }

  document.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) { return; }
    var text = articleText();
    var words = text.slice(start, end);
    var trimmedStart = start + (words.length - words.replace(/^\s+/, "").length);
    words = words.trim();
    if (!words) { return; }
    quote.value = words;
    if (occurrence) {
      var count = 0, index = 0, at = -1, total = 0;
      while ((index = text.indexOf(words, index)) !== -1) {
        total += 1;
        if (index === trimmedStart) { at = total; }
        index += 1;
      }
      occurrence.value = total > 1 && at > 0 ? String(at) : "";
    }
    quote.dispatchEvent(new Event("input"));
  });
})();
