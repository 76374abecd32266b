/* Học Số: checks a certificate QR code's Ed25519 signature in the browser, offline too. */
(function () {
  "use strict";
  var box = document.getElementById("offline-check");
  var payload = decodeURIComponent(location.hash.slice(1));
  if (!box || !payload) return;
  box.hidden = false;
  var status = box.querySelector("[data-offline-status]");
  function say(label, ok) {
    status.textContent = box.getAttribute("data-label-" + label);
    status.className = ok ? "flash success" : "flash error";
  }
  function bytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  var parts = payload.split("."), message, signature, fields;
  try {
    message = bytes(parts[1]);
    signature = bytes(parts[2]);
    fields = new TextDecoder("utf-8", { fatal: true }).decode(message).split("\n");
  } catch (error) { fields = []; }
  if (parts.length !== 3 || parts[0] !== "1" || fields.length !== 5 || fields[0] !== "HS1") {
    say("malformed", false);
    return;
  }
  if (!window.crypto || !crypto.subtle) { say("unsupported", false); return; }
  var algorithm = { name: "Ed25519" };
  crypto.subtle.importKey("raw", bytes(box.getAttribute("data-public-key")), algorithm, false, ["verify"])
    .then(function (key) { return crypto.subtle.verify(algorithm, key, signature, message); })
    .then(function (valid) {
      say(valid ? "valid" : "invalid", valid);
      if (!valid) return;
      var names = ["serial", "date", "holder", "course"];
      for (var i = 0; i < names.length; i++) {
        box.querySelector('[data-fact="' + names[i] + '"]').textContent = fields[i + 1];
      }
      box.querySelector("[data-offline-facts]").hidden = false;
    })
    .catch(function () { say("unsupported", false); });
})();
