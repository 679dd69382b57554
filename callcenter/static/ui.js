// Small helpers for the staff and supervisor pages: CSRF for fetch, live updates, drafts.
"use strict";
const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

async function post(url, data) {
  const response = await fetch(url, {method: "POST", headers: {"X-CSRFToken": csrf(),
    "Content-Type": "application/x-www-form-urlencoded"}, body: new URLSearchParams(data), credentials: "same-origin"});
  if (response.status === 401 || response.redirected) { toSignIn(); }
  return response;
}

// Back to this page after signing in again (the sign-in page says why the session ended).
function toSignIn() {
  window.location = "/signin?next=" + encodeURIComponent(window.location.pathname + window.location.search);
}

// A page that refreshes itself does not keep its session alive: only the person does. While
// they use the page (keys, clicks, scrolling), tell the server at most once a minute.
function keepAliveWhileUsed() {
  let last = Date.now();
  const ping = () => {
    if (Date.now() - last < 60000) { return; }
    last = Date.now();
    post("/session/alive", {});
  };
  for (const kind of ["keydown", "pointerdown", "wheel", "touchstart"]) {
    document.addEventListener(kind, ping, {passive: true});
  }
}

// Live updates: the server answers each EventSource request with one snapshot and closes it;
// the browser reconnects after `retry` ms. No connection is held open on the web workers.
function live(url, render) {
  const source = new EventSource(url);
  source.addEventListener("snapshot", (event) => render(JSON.parse(event.data)));
  source.addEventListener("signedout", () => { source.close(); toSignIn(); });
  keepAliveWhileUsed();
  return source;
}

// A half-filled form survives a session that ended: its draft is kept in this tab only.
function keepDraft(form) {
  const key = "draft:" + form.id;
  const saved = sessionStorage.getItem(key);
  if (saved) { for (const [name, value] of Object.entries(JSON.parse(saved))) {
    const field = form.elements[name]; if (field && !field.value) { field.value = value; } } }
  form.addEventListener("input", () => {
    const data = {}; for (const field of form.elements) { if (field.name && field.name !== "csrf_token") {
      data[field.name] = field.value; } }
    sessionStorage.setItem(key, JSON.stringify(data));
  });
  form.addEventListener("submit", () => sessionStorage.setItem(key + ":sent", "1"));
}
function draftSaved(formId) { sessionStorage.removeItem("draft:" + formId); }
