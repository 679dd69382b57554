// The live board: each snapshot redraws the counters and tables (all text, no HTML injected).
"use strict";
function rows(id, items, cells) {
  const body = document.getElementById(id);
  body.replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    for (const [text, cls] of cells(item)) {
      const td = document.createElement("td"); td.textContent = text ?? ""; if (cls) { td.className = cls; }
      tr.appendChild(td);
    }
    return tr;
  }));
}
const percent = (value) => value === null || value === undefined ? "–" : Math.round(value * 100) + "%";
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("board");
  live(root.dataset.stream, (s) => {
    document.getElementById("free").textContent = s.counts.free;
    document.getElementById("busy").textContent = s.counts.busy;
    document.getElementById("holding-count").textContent = s.counts.holding;
    document.getElementById("sl").textContent = percent(s.today.service_level);
    document.getElementById("abandon").textContent = percent(s.today.abandonment);
    document.getElementById("offered").textContent = s.today.offered;
    rows("staff-rows", s.staff, (x) => [[x.name], [x.activity, "state-" + x.activity],
      [x.seconds_in_state ? x.seconds_in_state + " s" : ""], [x.reason]]);
    rows("progress-rows", s.in_progress, (x) => [[x.call.slice(-6)], [x.kind], [x.line], [x.language],
      [x.talking_seconds]]);
    rows("holding-rows", s.holding, (x) => [[x.position], [x.language], [x.waiting_seconds + " s"],
      [x.holding_seconds + " s"]]);
    rows("callback-rows", s.callbacks, (x) => [["#" + x.id], [x.status], [x.age_minutes + " min"], [x.attempts],
      [x.next_attempt_at], [x.window_open ? "yes" : "no (outside their hours)"]]);
  });
});
