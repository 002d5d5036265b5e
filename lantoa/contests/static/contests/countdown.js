/* The time left on an attempt, counted down from the server's deadline (data-deadline, ISO
   time) corrected by the gap between the server's clock when the page was drawn (data-now) and
   the phone's. Without JavaScript the deadline is shown as a time of day. */
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box) { return; }
  var deadline = Date.parse(box.getAttribute("data-deadline"));
  var skew = Date.parse(box.getAttribute("data-now")) - Date.now();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.floor((deadline - (Date.now() + skew)) / 1000));
    box.textContent = pad(Math.floor(left / 60)) + ":" + pad(left % 60);
    if (left > 0) { window.setTimeout(tick, 1000); }
  }
  tick();
})();
