// Small helpers for the staff and supervisor pages: CSRF for fetch, live updates, drafts.
"use strict";
const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

async function post(url, data) {
  const response = await fetch(url, {method: "POST", headers: {"X-CSRFToken": csrf(),
    "Content-Type": "application/x-www-form-urlencoded"}, body: new URLSearchParams(data), credentials: "same-origin"});
  if (response.status === 401 || response.redirected) { window.location = "/signin"; }
  return response;
}

// Live updates: the server answers each EventSource request with one snapshot and closes it;
// the browser reconnects after `retry` ms. No connection is held open on the web workers.
function live(url, render) {
  const source = new EventSource(url);
  source.addEventListener("snapshot", (event) => render(JSON.parse(event.data)));
  source.addEventListener("signedout", () => { source.close(); window.location = "/signin"; });
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
