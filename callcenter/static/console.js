// The staff console: live state, and a wrap-up draft that survives a session ending.
// Uses board.js' display helpers (duration, label, setText). Only what changed is rewritten, and one
// status line (role="status") tells screen readers when your own state changes or a call arrives.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("wrapup-form");
  keepDraft(form);
  if (new URLSearchParams(location.search).get("saved")) { draftSaved("wrapup-form"); }
  const byId = (id) => document.getElementById(id);
  const root = byId("console");
  const status = byId("console-status");
  const {labels} = JSON.parse(byId("display-labels").textContent);
  let last = {presence: root.dataset.presence, activity: root.dataset.activity, call: Boolean(root.dataset.call)};

  live(root.dataset.stream, (s) => {
    const activity = label(labels.activities, s.activity);
    setText(byId("presence"), s.presence);
    setText(byId("reason"), s.reason || "");
    setText(byId("activity"), activity);
    setText(byId("wrapup-left"), s.wrapup_seconds_left ? `wrap-up: ${duration(s.wrapup_seconds_left)} left` : "");
    const call = s.call;
    const callText = call ? [label(labels.kinds, call.kind), call.line, call.language].join(" · ") : "";
    const shown = byId("call");
    if (call) {
      setText(shown, callText + (call.waited_seconds !== null ? " · waited " + duration(call.waited_seconds) : ""));
    } else if (shown.textContent !== "none" || !shown.querySelector(".muted")) {
      const none = document.createElement("span");
      none.className = "muted";
      none.textContent = "none";
      shown.replaceChildren(none);
    }

    // What screen readers hear: a call arriving, else a change of what you are doing or of your presence.
    let message = "";
    if (call && !last.call) {
      message = "A call: " + callText.replaceAll(" · ", ", ");
    } else if (s.activity !== last.activity) {
      message = "Now: " + activity;
    } else if (s.presence !== last.presence) {
      message = "You are " + s.presence;
    }
    if (message) { status.textContent = message; }
    last = {presence: s.presence, activity: s.activity, call: Boolean(call)};

    // The form for the call's notes: during the call they are notes; after it, the wrap-up.
    const onTheCall = s.activity === "busy";
    if (s.wrapup_call && byId("wrapup-call").value !== s.wrapup_call) { byId("wrapup-call").value = s.wrapup_call; }
    setText(byId("wrapup-title"), onTheCall ? "Notes for this call" : "Wrap-up");
    byId("wrapup-hint").hidden = !onTheCall;
    byId("wrapup-section").hidden = !s.wrapup_call;
  });
});
