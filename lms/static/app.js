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
  var note = document.querySelector("[data-no-voice]");
  var speech = window.speechSynthesis;
  if (!button || !article) return;
  if (!speech || !window.SpeechSynthesisUtterance) {
    if (note) note.hidden = false;
    return;
  }

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
  // The button shows only when the phone has a Vietnamese voice; otherwise a one-line note.
  function offerReading() {
    var voice = vietnameseVoice();
    button.hidden = !voice;
    if (note) note.hidden = !!voice;
  }
  if (speech.getVoices().length) {
    offerReading();
  } else {  // voices load later on some phones
    speech.addEventListener("voiceschanged", offerReading);
    setTimeout(offerReading, 1500);
  }
  button.addEventListener("click", function () {
    if (speech.speaking) { stop(); return; }
    var utterance = new SpeechSynthesisUtterance(article.innerText);
    utterance.lang = "vi-VN";
    utterance.voice = vietnameseVoice();
    utterance.rate = 0.95;
    utterance.onend = stop;
    utterance.onerror = stop;
    speech.speak(utterance);
    button.textContent = labels.stop;
    button.setAttribute("aria-pressed", "true");
  });
  window.addEventListener("pagehide", function () { speech.cancel(); });
})();
