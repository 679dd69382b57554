// The browser phone: drives the emulator's control API (/sim…) and follows /sim/stream (server-sent events).
// Plain JavaScript, no build step, nothing loaded from elsewhere.
"use strict";

(() => {
  const CALLER_LABEL = "Caller";
  const MAX_LINES = 400;
  const DIGIT_AUDIO = /\/digits\/[^/]+\/([0-9])\.(?:wav|mp3)$/;
  const KEYS = /^[0-9*#]$/;

  const $ = (selector, root = document) => root.querySelector(selector);
  let sim = { numbers: [], phones: [], calls: [], speed: 1 };
  const staff = new Map(); // address -> PhoneWidget
  let caller = null; // the caller panel's PhoneWidget
  let lastFocused = null; // the phone the person was last using (typed keys go there)
  let counter = 0;

  async function api(method, path, body) {
    const options = { method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response.json();
  }

  function pretty(number) {
    const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(number || "");
    return match ? `+1 ${match[1]} ${match[2]} ${match[3]}` : number;
  }

  function clock(wall) {
    return new Date(wall * 1000).toLocaleTimeString();
  }

  class PhoneWidget {
    constructor(address, role, name, keyTarget) {
      this.address = address;
      this.role = role;
      this.sid = null;
      this.shownCall = null;
      this.digitsLine = null;
      this.lastKind = null;
      this.onHold = new Set();
      this.el = $("#phone-template").content.firstElementChild.cloneNode(true);
      this.el.dataset.address = address;
      this.el.dataset.role = role;
      const id = `phone-${++counter}`;
      const title = $(".phone-name", this.el);
      title.id = `${id}-name`;
      this.el.setAttribute("aria-labelledby", title.id);
      this.heard = $(".heard", this.el);
      this.heard.id = `${id}-heard`;
      this.stateText = $(".state-text", this.el);
      this.buttons = {
        answer: $(".answer", this.el), decline: $(".decline", this.el),
        hangup: $(".hangup", this.el), talk: $(".talk", this.el),
      };
      this.keys = [...this.el.querySelectorAll(".keypad button")];
      this.setName(name);
      this.buttons.answer.addEventListener("click", () => this.act("answer"));
      this.buttons.decline.addEventListener("click", () => this.act("decline", { busy: true }));
      this.buttons.hangup.addEventListener("click", () => this.act("hangup"));
      this.buttons.talk.addEventListener("click", () => this.act("speak", { seconds: 5 }));
      for (const key of this.keys) key.addEventListener("click", () => this.press(key.dataset.key));
      (keyTarget || this.el).addEventListener("focusin", () => { lastFocused = this; });
      (keyTarget || this.el).addEventListener("keydown", (event) => {
        if (!KEYS.test(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
        if (event.target instanceof HTMLSelectElement || event.target instanceof HTMLInputElement) return;
        event.preventDefault();
        this.press(event.key);
      });
    }

    setName(name) {
      this.name = name;
      $(".phone-name", this.el).textContent = name;
      $(".keypad", this.el).setAttribute("aria-label", `Keypad: ${name}`);
      this.heard.setAttribute("aria-label", `What ${name} hears`);
      for (const [action, button] of Object.entries(this.buttons)) {
        button.setAttribute("aria-label", `${button.textContent}: ${name}`);
        button.dataset.action = action;
      }
    }

    setAddress(address, name) {
      this.address = address;
      this.el.dataset.address = address;
      this.setName(name);
      this.sid = null;
      this.note(`Now calling from ${address === "anonymous" ? "a withheld number" : pretty(address)}`, "new-call");
    }

    press(keys) {
      if (this.keys[0].disabled) return;
      this.act("digits", { digits: keys });
    }

    async act(action, body) {
      if (!this.sid) return;
      try {
        await api("POST", `/sim/calls/${encodeURIComponent(this.sid)}/${action}`, body || {});
      } catch (error) {
        this.note(`Could not ${action}: ${error.message}`, "end");
      }
      refreshSoon();
    }

    update(calls) {
      const mine = calls.filter((call) => call.party === this.address);
      const ringing = mine.find((call) => call.ringing);
      const current = ringing || mine[mine.length - 1] || null;
      this.sid = current ? current.sid : null;
      let state = "idle";
      let text = "idle";
      if (ringing) {
        state = "ringing"; text = "ringing";
      } else if (current && current.bridged_with) {
        state = "connected"; text = "connected";
      } else if (current && this.onHold.has(current.sid)) {
        state = "on-hold"; text = "on hold";
      } else if (current) {
        state = "in-call";
        text = current.direction === "inbound" && !["in-progress"].includes(current.status) ? "calling…" : "on the line";
      }
      this.el.dataset.state = state;
      this.el.dataset.sid = this.sid || "";
      this.stateText.textContent = text;
      this.buttons.answer.disabled = this.buttons.decline.disabled = !ringing;
      this.buttons.hangup.disabled = !current;
      const talking = Boolean(current) && !ringing;
      this.buttons.talk.disabled = !talking;
      for (const key of this.keys) key.disabled = !talking;
    }

    show(event) {
      if (event.kind === "hold") this.onHold.add(event.call_sid);
      if (event.kind === "unhold" || event.kind === "hangup") this.onHold.delete(event.call_sid);
      if (event.call_sid !== this.shownCall) {
        this.shownCall = event.call_sid;
        this.note(`Call at ${clock(event.wall)}`, "new-call");
      }
      const afterKey = event.kind === "listen" && this.lastKind === "pressed";  // the key already answered it
      this.lastKind = event.kind;
      const digit = event.kind === "play" ? DIGIT_AUDIO.exec(event.text) : null;
      if (digit) {
        if (this.digitsLine && this.heard.lastElementChild === this.digitsLine) {
          this.digitsLine.textContent += ` [${digit[1]}]`;
        } else {
          this.digitsLine = this.note(`[${digit[1]}]`, "digits");
        }
        return;
      }
      const shown = afterKey ? null : this.describe(event);
      if (shown) this.note(shown[0], shown[1], event.wall);
    }

    describe(event) {
      const text = event.text;
      switch (event.kind) {
        case "dialled": return [`You dialled ${pretty(text)}`, "did"];
        case "say": return [`“${text}”`, "prompt"];
        case "play":
          if (text === "hold music") return ["♪ hold music", "sound"];
          if (text.startsWith("digits ")) return [`(tones ${text.slice(7)})`, "sound"];
          return [`♪ ${text.split("/").pop() || "audio"}`, "sound"];
        case "beep": return ["Beep — recording: talk now (Talk 5 seconds)", "hint"];
        case "listen": return ["… waiting for a key", "hint"];
        case "ringback": return ["Ringing…", "sound"];
        case "hold": return ["On hold", "state"];
        case "unhold": return ["Off hold", "state"];
        case "bridged":
          return [this.role === "caller" ? `Connected — talking with ${text}` : "Connected — talking with the caller",
            "state"];
        case "unbridged": return ["The other side left the call", "state"];
        case "pressed": return [`You pressed ${text}`, "did"];
        case "spoke": return [`You talked (${text})`, "did"];
        case "answered": return ["You answered", "did"];
        case "declined": return [`You declined (${text})`, "did"];
        case "hung-up": return ["You hung up", "did"];
        case "ring": {
          const own = sim.numbers.includes(text);
          return [own ? `Incoming call — caller ID ${pretty(text)} (the helpline)` : `Incoming call from ${pretty(text)}`,
            "state"];
        }
        case "hangup": return [`Call ended (${text})`, "end"];
        case "gather": case "record": return null;
        default: return [text ? `${event.kind}: ${text}` : event.kind, "hint"];
      }
    }

    note(text, kind, wall) {
      const item = document.createElement("li");
      item.className = kind;
      item.textContent = text;
      if (wall) item.title = clock(wall);
      this.heard.appendChild(item);
      while (this.heard.children.length > MAX_LINES) this.heard.firstElementChild.remove();
      this.heard.scrollTop = this.heard.scrollHeight;
      return item;
    }
  }

  // ------------------------------------------------------------------ state from the emulator

  let refreshing = null;
  let again = false;

  function refreshSoon() {
    if (refreshing) { again = true; return; }
    refreshing = refresh().finally(() => {
      refreshing = null;
      if (again) { again = false; refreshSoon(); }
    });
  }

  async function refresh() {
    try {
      sim = await api("GET", "/sim");
    } catch (error) {
      setLive("lost", "the emulator is not answering");
      return;
    }
    $("#helpline").textContent = pretty(sim.numbers[0] || "");
    const present = new Set();
    for (const phone of sim.phones) {
      if (phone.role === "caller") continue;
      present.add(phone.address);
      if (!staff.has(phone.address)) addStaff(phone);
    }
    for (const [address, widget] of staff) {
      if (!present.has(address)) { widget.el.remove(); staff.delete(address); }
    }
    $("#no-staff").hidden = staff.size > 0;
    for (const widget of staff.values()) widget.update(sim.calls);
    caller.update(sim.calls);
    const select = $("#caller-from");
    if (!caller.sid) {   // a call back ringing one of the caller's numbers (or a call of one, on a reload)
      const numbers = [...select.options].map((option) => option.value);
      const other = sim.calls.find((call) => call.party !== caller.address && numbers.includes(call.party));
      if (other) {
        select.value = other.party;
        caller.setAddress(other.party, callerName(other.party));
        caller.update(sim.calls);
      }
    }
    $("#dial").disabled = select.disabled = Boolean(caller.sid);
    keepFocus();
  }

  // A button that was just used may now be disabled (Answer, Call…): keep the focus on its phone,
  // so the keyboard goes on working there.
  function keepFocus() {
    const active = document.activeElement;
    if (lastFocused && (!active || active === document.body || active.disabled)) {
      lastFocused.el.focus({ preventScroll: true });
    }
  }

  function addStaff(phone) {
    const widget = new PhoneWidget(phone.address, phone.role, phone.label || phone.address);
    const where = document.createElement("p");
    where.className = "phone-address";
    where.textContent = pretty(phone.address);
    $(".phone-head", widget.el).after(where);
    staff.set(phone.address, widget);
    $("#staff-phones").appendChild(widget.el);
  }

  function callerName(address) {
    return address === "anonymous" ? "Caller (number withheld)" : `Caller ${pretty(address)}`;
  }

  async function ensureCallerPhone(address) {
    if (address === "anonymous" || sim.phones.some((p) => p.address === address)) return;
    await api("POST", "/sim/phones", { address, role: "caller", label: CALLER_LABEL });
  }

  async function dial() {
    const from = $("#caller-from").value;
    $("#dial").disabled = true;
    try {
      await ensureCallerPhone(from);
      const call = await api("POST", "/sim/calls", { from });
      caller.sid = call.sid;
    } catch (error) {
      caller.note(`Could not call: ${error.message}`, "end");
    }
    refreshSoon();
  }

  function setLive(state, text) {
    const live = $("#live");
    live.dataset.state = state;
    live.textContent = text;
  }

  function route(event) {
    const widget = staff.get(event.party) || (caller && caller.address === event.party ? caller : null);
    if (widget) widget.show(event);
  }

  function connect(after) {
    const source = new EventSource(`/sim/stream?unnamed=1${after === null ? "" : `&after=${after}`}`);
    source.onopen = () => { setLive("live", "live"); refreshSoon(); };
    source.onerror = () => setLive("connecting", "reconnecting…");   // EventSource retries by itself
    source.onmessage = (message) => {
      route(JSON.parse(message.data));
      refreshSoon();
    };
  }

  // A page opened (or reloaded) during calls shows what their phones have heard so far.
  async function history(upTo) {
    const events = [];
    for (const call of sim.calls) {
      const heard = await api("GET", `/sim/events?call=${encodeURIComponent(call.sid)}&wait=0`);
      events.push(...heard.filter((event) => event.seq <= upTo));
    }
    events.sort((a, b) => a.seq - b.seq).forEach(route);
  }

  async function start() {
    const select = $("#caller-from");
    const panel = $("#caller");
    caller = new PhoneWidget(select.value, "caller", callerName(select.value), panel);
    $("#caller-phone").appendChild(caller.el);
    select.addEventListener("change", () => {
      caller.setAddress(select.value, callerName(select.value));
      refreshSoon();
    });
    $("#dial").addEventListener("click", dial);
    let upTo = null;
    try {
      sim = await api("GET", "/sim");
      upTo = Number.isInteger(sim.seq) ? sim.seq : null;
      // The caller's numbers are phones too, so a call back from the helpline rings here.
      for (const option of select.options) await ensureCallerPhone(option.value);
      await refresh();
      if (upTo !== null) await history(upTo);
    } catch (error) {
      setLive("lost", "the emulator is not answering");
    }
    connect(upTo);
    setInterval(refreshSoon, 2000);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
