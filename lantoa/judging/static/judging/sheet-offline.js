// A score sheet kept in the page on a weak connection. Each score typed is written to this
// device's storage at once (keyed by the sheet) and cleared when the server has answered it;
// a score the server could not be reached for stays, shows "not yet sent", and is sent again
// when the connection returns, every few seconds meanwhile, and when the page is opened again.
// Without this script (or without storage) the sheet works as before: htmx, or the Save button.
(function () {
  "use strict";
  var RETRY_MS = 4000;

  function storage() {
    try {
      var probe = "lantoa.probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function start(form) {
    var store = storage();
    if (!store) return;
    var key = "lantoa.judging.sheet." + form.getAttribute("data-sheet");
    var pendingText = form.getAttribute("data-pending-text");
    var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[hx-post]"));
    var timer = null;

    function load() {
      try {
        return JSON.parse(store.getItem(key) || "{}") || {};
      } catch (error) {
        return {};
      }
    }
    function save(pending) {
      if (Object.keys(pending).length) store.setItem(key, JSON.stringify(pending));
      else store.removeItem(key);
    }
    function status(input) {
      return document.getElementById("s" + input.id.slice(1));
    }
    function markPending(input) {
      var box = status(input);
      if (!box) return;
      box.className = "small text-warning";
      box.setAttribute("data-pending", "true");
      box.textContent = pendingText;
    }
    function keep(input) {
      var pending = load();
      pending[input.name] = input.value;
      save(pending);
    }
    function forget(input, sent) {
      var pending = load();
      if (pending[input.name] === sent) {
        delete pending[input.name];
        save(pending);
      }
    }
    function schedule() {
      if (timer === null && Object.keys(load()).length) timer = window.setTimeout(flush, RETRY_MS);
    }
    function send(input, value) {
      var body = new FormData();
      body.append(input.name, value);
      if (tokenInput) body.append("csrfmiddlewaretoken", tokenInput.value);
      return window
        .fetch(input.getAttribute("hx-post"), {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "HX-Request": "true" },
        })
        .then(function (answer) {
          if (!answer.ok) throw new Error(String(answer.status));
          return answer.text();
        })
        .then(function (html) {
          var box = status(input);
          if (box) box.outerHTML = html;
          forget(input, value);
        });
    }
    function flush() {
      timer = null;
      var pending = load();
      var waiting = inputs.filter(function (input) {
        return Object.prototype.hasOwnProperty.call(pending, input.name);
      });
      if (!waiting.length) return;
      waiting
        .reduce(function (chain, input) {
          return chain.then(function () {
            return send(input, pending[input.name]);
          });
        }, Promise.resolve())
        .catch(function () {
          waiting.forEach(markPending);
        })
        .then(schedule);
    }

    if (!inputs.length || inputs[0].disabled) {
      store.removeItem(key);
      return;
    }
    // Scores typed on this device and never answered by the server come back into the page.
    var stored = load();
    inputs.forEach(function (input) {
      if (Object.prototype.hasOwnProperty.call(stored, input.name)) {
        input.value = stored[input.name];
        markPending(input);
      }
      input.addEventListener("input", function () {
        keep(input);
      });
      input.addEventListener("change", function () {
        keep(input);
      });
      input.addEventListener("htmx:afterRequest", function (event) {
        var request = event.detail && event.detail.xhr;
        if (request && request.status === 200) {
          forget(input, input.value);
        } else {
          markPending(input);
          schedule();
        }
      });
      input.addEventListener("htmx:sendError", function () {
        markPending(input);
        schedule();
      });
    });
    window.addEventListener("online", flush);
    flush();
  }

  function init() {
    var forms = document.querySelectorAll("form[data-sheet]");
    Array.prototype.forEach.call(forms, start);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
