/* Học Số: optional enhancements; every page works without this file. */
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js")
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function (registration) {
          if (!navigator.serviceWorker.controller && registration.active) {
            registration.active.postMessage({ type: "keep", path: location.pathname });
          }
        })
        .catch(function () {});
    });
  }

  var button = document.querySelector("[data-read-aloud]");
  var article = document.querySelector("[data-lesson-body]");
  var speech = window.speechSynthesis;
  if (!button || !article || !speech || !window.SpeechSynthesisUtterance) return;

  var labels = { start: button.textContent, stop: button.getAttribute("data-stop-label") };
  function vietnameseVoice() {
    var voices = speech.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().replace("_", "-").indexOf("vi") === 0) {
        return voices[i];
      }
    }
    return null;
  }
  function stop() {
    speech.cancel();
    button.textContent = labels.start;
    button.setAttribute("aria-pressed", "false");
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (speech.speaking) { stop(); return; }
    var utterance = new SpeechSynthesisUtterance(article.innerText);
    utterance.lang = "vi-VN";
    var voice = vietnameseVoice();
    if (voice) utterance.voice = voice;
    utterance.rate = 0.95;
    utterance.onend = stop;
    utterance.onerror = stop;
    speech.speak(utterance);
    button.textContent = labels.stop;
    button.setAttribute("aria-pressed", "true");
  });
  window.addEventListener("pagehide", function () { speech.cancel(); });
})();
