/* Counts the article view from the page (NEWSROOM_VIEW_COUNTING=beacon, for CDN-cached pages).
 * Sends once, when the page is actually shown (not while prerendered or in a background tab),
 * then writes the total the server returns into "Views: N". Uses fetch with keepalive so the
 * figure can be updated, and navigator.sendBeacon where fetch is missing. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var url = script.getAttribute("data-view-beacon");
  var token = script.getAttribute("data-token");
  if (!url || !token) return;
  var sent = false;

  function show(total) {
    var figure = document.querySelector("[data-views]");
    if (figure && typeof total === "number") figure.textContent = String(total);
  }

  function send() {
    if (sent) return;
    sent = true;
    var body = new URLSearchParams();
    body.set("t", token);
    if (window.fetch) {
      fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: true })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) show(data.views); })
        .catch(function () {});
    } else if (navigator.sendBeacon) {
      navigator.sendBeacon(url, body);
    }
  }

  function sendWhenVisible() {
    if (document.visibilityState === "visible") {
      send();
      return;
    }
    document.addEventListener("visibilitychange", function onChange() {
      if (document.visibilityState === "visible") {
        document.removeEventListener("visibilitychange", onChange);
        send();
      }
    });
  }

  if (document.prerendering) {
    document.addEventListener("prerenderingchange", sendWhenVisible, { once: true });
  } else {
    sendWhenVisible();
  }
})();
