// The article's QR block: folded away on phone-width screens (the reader is
// already on a phone; the summary opens it again), always open when printing.
(function () {
  "use strict";
  var block = document.querySelector("details[data-qr-fold]");
  if (!block) return;
  if (window.matchMedia("(max-width: 36rem)").matches) block.open = false;
  var openBeforePrint = null;
  window.addEventListener("beforeprint", function () {
    openBeforePrint = block.open;
    block.open = true;
  });
  window.addEventListener("afterprint", function () {
    if (openBeforePrint === false) block.open = false;
    openBeforePrint = null;
  });
})();
