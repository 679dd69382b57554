// The live board: each snapshot updates the counters and tables in place (all text, no HTML injected).
// A cell whose text did not change is left alone; one status line (role="status") tells screen readers
// when the free / busy / holding counts change, instead of the whole board being announced every 2 s.
// Its display helpers (duration, localTime, label) are the pages' one JS copy of web/display.py's
// filters: the console loads this file for them too.
"use strict";
const UNKNOWN = "—";

// One duration format for every page (the same as the server's `duration` filter, web/display.py):
// "24 s", "3 min 05 s", "1 h 02 min"; `minutes`: the value is whole minutes ("45 min", "1 h 02 min").
function duration(value, {minutes = false} = {}) {
  if (value === null || value === undefined || value === "" || Number.isNaN(Number(value))) { return UNKNOWN; }
  const two = (n) => String(n).padStart(2, "0");
  if (minutes) {
    const whole = Math.max(0, Math.round(Number(value)));
    if (whole < 1) { return "under 1 min"; }
    return whole >= 60 ? `${Math.floor(whole / 60)} h ${two(whole % 60)} min` : `${whole} min`;
  }
  const total = Math.max(0, Math.round(Number(value)));
  if (total < 60) { return `${total} s`; }
  if (total < 3600) { return `${Math.floor(total / 60)} min ${two(total % 60)} s`; }
  return `${Math.floor(total / 3600)} h ${two(Math.floor((total % 3600) / 60))} min`;
}

// A moment in the helpline's time zone, as the server's `local_time` filter shows it:
// "Sun 29 Nov, 09:41 EST" (`year`: "Sun 29 Nov 2026, 09:41 EST"; `seconds`: "09:41:07").
function localTime(value, zone, {year = false, seconds = false} = {}) {
  if (value === null || value === undefined || value === "") { return UNKNOWN; }
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) { return UNKNOWN; }
  const parts = {};
  const format = new Intl.DateTimeFormat("en-US", {timeZone: zone, weekday: "short", day: "numeric",
    month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    timeZoneName: "short"});
  for (const part of format.formatToParts(date)) { parts[part.type] = part.value; }
  const clock = `${parts.hour}:${parts.minute}${seconds ? ":" + parts.second : ""} ${parts.timeZoneName}`;
  return `${parts.weekday} ${parts.day} ${parts.month}${year ? " " + parts.year : ""}, ${clock}`;
}

// The ISO form the server puts in <time datetime="..."> (UTC, whole seconds, "Z").
function isoUtc(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const percent = (value) => value === null || value === undefined ? UNKNOWN : Math.round(value * 100) + "%";
const label = (table, code) => code === null || code === undefined || code === "" ? UNKNOWN
  : (table[code] ?? String(code).replace(/[_-]/g, " "));

function setText(element, text) {
  if (element.textContent !== text || element.children.length) { element.textContent = text; }
}

// One cell: {text, cls, time}; changed only where its content or class differs.
function setCell(td, {text = "", cls = "", time = null}) {
  if (td.className !== cls) { td.className = cls; }
  if (time) {
    const shown = td.firstElementChild;
    if (td.children.length === 1 && shown.tagName === "TIME" && shown.dateTime === time && shown.textContent === text) {
      return;
    }
    const element = document.createElement("time");
    element.dateTime = time;
    element.textContent = text;
    td.replaceChildren(element);
  } else {
    setText(td, text);
  }
}

// A table body from a list: rows kept and updated in place; one "nothing here" row when the list is empty.
function renderRows(id, items, cells, empty) {
  const body = document.getElementById(id);
  const columns = body.closest("table").tHead.rows[0].cells.length;
  if (!items.length) {
    const only = body.rows[0];
    if (body.rows.length === 1 && only.classList.contains("empty") && only.textContent === empty) { return; }
    const tr = document.createElement("tr");
    tr.className = "empty";
    const td = tr.insertCell();
    td.colSpan = columns;
    td.className = "muted";
    td.textContent = empty;
    body.replaceChildren(tr);
    return;
  }
  if (body.rows.length && body.rows[0].classList.contains("empty")) { body.replaceChildren(); }
  while (body.rows.length > items.length) { body.deleteRow(-1); }
  items.forEach((item, index) => {
    const specs = cells(item);
    const tr = body.rows[index] || body.insertRow();
    specs.forEach((spec, column) => setCell(tr.cells[column] || tr.insertCell(), spec));
    while (tr.cells.length > specs.length) { tr.deleteCell(-1); }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("board");
  if (!root) { return; }   // another page using the helpers above
  const {labels, timezone} = JSON.parse(document.getElementById("display-labels").textContent);
  const status = document.getElementById("board-status");
  const byId = (id) => document.getElementById(id);
  const countsText = (free, busy, holding) => `${free} free, ${busy} busy, ${holding} holding`;
  let lastCounts = countsText(byId("free").textContent, byId("busy").textContent, byId("holding-count").textContent);

  live(root.dataset.stream, (s) => {
    setText(byId("free"), String(s.counts.free));
    setText(byId("busy"), String(s.counts.busy));
    setText(byId("holding-count"), String(s.counts.holding));
    setText(byId("sl"), percent(s.today.service_level));
    setText(byId("abandon"), percent(s.today.abandonment));
    setText(byId("offered"), String(s.today.offered));
    const counts = countsText(s.counts.free, s.counts.busy, s.counts.holding);
    if (counts !== lastCounts) { status.textContent = counts; lastCounts = counts; }

    const names = new Map(s.staff.map((x) => [x.id, x.name]));
    renderRows("staff-rows", s.staff, (x) => [{text: x.name}, {text: label(labels.activities, x.activity),
      cls: "state-" + x.activity}, {text: duration(x.seconds_in_state)}, {text: x.reason || ""}],
    "No staff on the board.");
    renderRows("progress-rows", s.in_progress, (x) => [{text: x.call.slice(-6)}, {text: label(labels.kinds, x.kind)},
      {text: names.get(x.staff_id) ?? UNKNOWN}, {text: label(labels.lines, x.line)},
      {text: label(labels.languages, x.language)}, {text: duration(x.talking_seconds)}],
    "No calls in progress.");
    renderRows("holding-rows", s.holding, (x) => [{text: String(x.position)}, {text: label(labels.languages, x.language)},
      {text: duration(x.waiting_seconds)}, {text: duration(x.holding_seconds)}],
    "No one is holding.");
    renderRows("callback-rows", s.callbacks, (x) => [{text: "#" + x.id}, {text: label(labels.callback_statuses, x.status)},
      {text: duration(x.age_minutes, {minutes: true}) + " ago"}, {text: String(x.attempts)},
      x.next_attempt_at ? {text: localTime(x.next_attempt_at, timezone), time: isoUtc(x.next_attempt_at)}
        : {text: UNKNOWN},
      {text: x.window_open ? "yes" : "no (outside their hours)"}],
    "No pending callbacks.");
  });
});
