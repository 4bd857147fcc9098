// Bid upload with a progress bar (BID-2). No build step, no inline script (CSP).
// 1. #bid-upload: plaintext files, sealed by the server as they stream in (XHR + FormData).
// 2. #bid-tus: a pre-sealed envelope, resumable with the tus 1.0 protocol (POST, PATCH, HEAD).
(function () {
  "use strict";
  var CHUNK = 8 * 1024 * 1024;

  function text(key) {
    var template = document.getElementById("bid-messages");
    var node = template && template.content.querySelector('[data-key="' + key + '"]');
    return node ? node.textContent : key;
  }
  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function bar(id, fraction) {
    var box = document.getElementById(id);
    if (!box) return;
    box.classList.remove("d-none");
    var pct = Math.floor(fraction * 100);
    var inner = box.querySelector(".progress-bar");
    inner.style.width = pct + "%";
    inner.textContent = pct + "%";
    box.setAttribute("aria-valuenow", String(pct));
    try { window.sessionStorage.setItem("lpse-" + id, String(pct)); } catch (e) { /* private mode */ }
  }
  function status(id, message, kind) {
    var node = document.getElementById(id);
    if (!node) return;
    node.className = "mt-2 alert alert-" + (kind || "info");
    node.textContent = message;
  }
  function errorOf(xhr) {
    try { return JSON.parse(xhr.responseText).error || text("failed"); }
    catch (e) { return xhr.responseText && xhr.status < 500 && xhr.responseText.length < 500 ? xhr.responseText : text("failed"); }
  }

  function sealedUpload(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[type=file]");
      if (!input.files.length) return;
      var total = 0;
      for (var i = 0; i < input.files.length; i++) total += input.files[i].size;
      var max = parseInt(form.dataset.maxBytes || "0", 10);
      if (max && total > max) { status("bid-status", text("too_big"), "danger"); return; }
      var button = form.querySelector("button");
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar("bid-progress", e.loaded / e.total);
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 201) {
          bar("bid-progress", 1);
          status("bid-status", text("done"), "success");
          window.location.assign(JSON.parse(xhr.responseText).receipt_url);
        } else {
          button.disabled = false;
          status("bid-status", errorOf(xhr), "danger");
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        status("bid-status", text("failed"), "danger");
      });
      status("bid-status", text("sending"), "info");
      bar("bid-progress", 0);
      xhr.send(new FormData(form));
    });
  }

  function request(method, url, headers, body, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("Tus-Resumable", "1.0.0");
      Object.keys(headers).forEach(function (k) { xhr.setRequestHeader(k, headers[k]); });
      if (onProgress) xhr.upload.addEventListener("progress", function (e) { onProgress(e.loaded); });
      xhr.addEventListener("load", function () { resolve(xhr); });
      xhr.addEventListener("error", function () { reject(new Error("network")); });
      xhr.send(body || null);
    });
  }

  function tusUpload(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = form.querySelector("input[type=file]").files[0];
      if (!file) return;
      var token = csrf(form);
      var button = form.querySelector("button");
      button.disabled = true;
      var meta = "filename " + btoa(unescape(encodeURIComponent(file.name)));
      var location = null;
      var retries = 0;
      status("tus-status", text("sending"), "info");
      bar("tus-progress", 0);
      function fail(message) {
        button.disabled = false;
        status("tus-status", message || text("failed"), "danger");
      }
      function send(offset) {
        if (offset >= file.size) return;
        var end = Math.min(offset + CHUNK, file.size);
        request("PATCH", location, {
          "Upload-Offset": String(offset),
          "Content-Type": "application/offset+octet-stream",
          "X-CSRFToken": token
        }, file.slice(offset, end), function (loaded) {
          bar("tus-progress", (offset + loaded) / file.size);
        }).then(function (xhr) {
          if (xhr.status !== 204) return fail(errorOf(xhr));
          retries = 0;
          var next = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
          bar("tus-progress", next / file.size);
          var receipt = xhr.getResponseHeader("Lpse-Receipt-Url");
          if (receipt) {
            status("tus-status", text("done"), "success");
            window.location.assign(receipt);
          } else {
            send(next);
          }
        }, function () { resume(); });
      }
      function resume() {
        if (retries++ > 20) return fail();
        status("tus-status", text("resuming"), "warning");
        window.setTimeout(function () {
          request("HEAD", location, {}, null).then(function (xhr) {
            if (xhr.status !== 200) return fail(errorOf(xhr));
            send(parseInt(xhr.getResponseHeader("Upload-Offset"), 10));
          }, function () { resume(); });
        }, Math.min(1000 * retries, 10000));
      }
      request("POST", form.dataset.endpoint, {
        "Upload-Length": String(file.size),
        "Upload-Metadata": meta,
        "X-CSRFToken": token
      }, null).then(function (xhr) {
        if (xhr.status !== 201) return fail(errorOf(xhr));
        location = xhr.getResponseHeader("Location");
        send(0);
      }, function () { fail(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var sealed = document.getElementById("bid-upload");
    if (sealed) sealedUpload(sealed);
    var tus = document.getElementById("bid-tus");
    if (tus) tusUpload(tus);
  });
})();
