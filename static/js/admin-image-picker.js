// The image library picker of the rich-text editor (admin only).
// django-prose-editor's figure dialog opens this window with ?CKEditorFuncNum=N
// and listens on window.opener.CKEDITOR.tools.callFunction(N, url, data): data
// fills the dialog's alt text and caption. No inline script: CSP stays strict.
;(() => {
  "use strict"
  const root = document.querySelector(".nr-picker")
  if (!root) return
  const funcNum = root.dataset.funcNum
  root.addEventListener("click", (event) => {
    const item = event.target.closest(".nr-picker__item")
    if (!item) return
    event.preventDefault()
    const opener = window.opener
    const tools = opener && opener.CKEDITOR && opener.CKEDITOR.tools
    if (!funcNum || !tools || typeof tools.callFunction !== "function") {
      window.alert("Open this window from the editor's figure button.")
      return
    }
    tools.callFunction(funcNum, item.dataset.url, {
      id: item.dataset.id,
      alternative_text: item.dataset.alt,
      caption: item.dataset.caption,
    })
    window.close()
  })
})()
