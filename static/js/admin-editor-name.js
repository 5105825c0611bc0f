// The body editor (a contenteditable made by the prose editor) takes its field's label as its
// accessible name, so screen readers announce "body" and axe's aria-input-field-name passes.
(function () {
  "use strict";
  function labelOf(editor) {
    var row = editor.closest(".form-row") || editor.closest(".prose-editor");
    var textarea = row && row.querySelector("textarea[id]");
    var label = textarea && document.querySelector('label[for="' + textarea.id + '"]');
    return label || (row && row.querySelector("label"));
  }
  function nameAll() {
    document.querySelectorAll("[contenteditable].ProseMirror, [contenteditable].tiptap").forEach(function (editor) {
      var label = labelOf(editor);
      if (label && !editor.hasAttribute("aria-label")) {
        editor.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
      }
    });
  }
  new MutationObserver(nameAll).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
})();
