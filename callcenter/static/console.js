// The staff console: live state, and a wrap-up draft that survives a session ending.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("wrapup-form");
  keepDraft(form);
  if (new URLSearchParams(location.search).get("saved")) { draftSaved("wrapup-form"); }
  const text = (id, value) => { document.getElementById(id).textContent = value; };
  live(document.getElementById("console").dataset.stream, (s) => {
    text("presence", s.presence);
    text("reason", s.reason);
    text("activity", s.activity);
    text("wrapup-left", s.wrapup_seconds_left ? "wrap-up: " + s.wrapup_seconds_left + " s" : "");
    const call = s.call;
    text("call", call ? [call.kind, call.line, call.language].join(" · ") +
      (call.waited_seconds !== null ? " · waited " + call.waited_seconds + " s" : "") : "none");
    if (s.wrapup_call) { document.getElementById("wrapup-call").value = s.wrapup_call; }
    document.getElementById("wrapup-section").hidden = !s.wrapup_call;
  });
});
