// The sandbox inspector: reads the control API, redraws what changed, and
// moves the clock, adds and removes faults, clears the journal and resets
// through it. Plain DOM, no framework and no build step, so the page is
// served as it is written.
"use strict";

(function () {
  const PAGE = 100; // rows shown, and added by "Show more"
  const FETCH = 1000; // the control API's largest page
  const KEEP = 5000; // entries the page holds at most
  const POLL_MS = 1000;

  let token = readToken();
  let etag = null; // the sandbox's revision at the last read
  let cursor = null; // the newest entry's request id
  let entries = []; // newest first
  let olderNotLoaded = false;
  let shown = PAGE;
  let selected = null; // the request id opened
  let creds = [], states = [], clock = null;
  let loaded = false;
  let expiryDue = Infinity; // sandbox time at which the first hold expires
  let unchanged = 0; // reads in a row that found nothing changed

  const $ = (id) => document.getElementById(id);

  function readToken() {
    return new URLSearchParams(location.hash.slice(1)).get("token");
  }

  // ---- the control API ----

  class AuthError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function call(method, path, body, extra) {
    const headers = Object.assign({}, extra);
    if (token) headers.Authorization = "Bearer " + token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(path, {
      method, headers, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401 || res.status === 403) throw new AuthError(res.status, await errorMessage(res));
    return res;
  }

  async function errorMessage(res) {
    try {
      const b = await res.json();
      return (b.error && b.error.message) || res.status + "";
    } catch (e) {
      return "answered " + res.status;
    }
  }

  async function json(method, path, body) {
    const res = await call(method, path, body);
    if (!res.ok) throw new Error(method + " " + path + ": " + (await errorMessage(res)));
    return res.status === 204 ? null : res.json();
  }

  // ---- formatting ----

  const fmt = (o) => new Intl.DateTimeFormat(undefined, Object.assign({ hourCycle: "h23" }, o));
  const timeFmt = fmt({ hour: "2-digit", minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3 });
  const hmFmt = fmt({ hour: "2-digit", minute: "2-digit" });
  const secFmt = fmt({ hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const dayFmt = fmt({ weekday: "short", day: "numeric", month: "short" });
  const fullFmt = fmt({ weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" });
  const dayKey = (d) => d.getFullYear() + "-" + d.getMonth() + "-" + d.getDate();

  // when is a local time, with the day when it is not the sandbox's today.
  function when(iso) {
    const d = new Date(iso);
    const today = clock ? dayKey(new Date(clock.now)) : dayKey(new Date());
    return (dayKey(d) === today ? "" : dayFmt.format(d) + " ") + timeFmt.format(d);
  }

  // slot is an appointment's local day and times.
  function slot(a) {
    const start = new Date(a.start);
    return dayFmt.format(start) + ", " + hmFmt.format(start) + "–" + hmFmt.format(new Date(a.end));
  }

  function span(seconds) {
    const parts = [];
    for (const [n, unit] of [[86400, "d"], [3600, "h"], [60, "min"], [1, "s"]]) {
      if (seconds >= n) { parts.push(Math.floor(seconds / n) + " " + unit); seconds %= n; }
    }
    return parts.join(" ") || "0 s";
  }

  // shortKey is as the journal shortens a key: its prefix, an ellipsis
  // and its last four characters.
  function shortKey(key) {
    const prefix = ["sk_sandbox_", "sk_live_"].find((p) => key.startsWith(p)) || "";
    const rest = key.slice(prefix.length);
    return prefix + "…" + (rest.length < 16 ? "" : rest.slice(-4));
  }

  function credentialName(short) {
    const i = creds.findIndex((c) => shortKey(c.api_key) === short);
    return i < 0 ? short : (creds[i].catalogue.account_name || "credential") + " " + short;
  }

  function errorOf(e) {
    const b = e.response_body;
    return e.status >= 400 && b && typeof b === "object" && b.error ? b.error : null;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== undefined && c !== null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  // ---- reading: only what changed ----

  // poll reads the journal's new entries, or learns that nothing changed
  // (304), and the clock, which runs on its own; the faults and the
  // credentials' state only when the sandbox changed.
  async function poll() {
    const [changed, now] = await Promise.all([readJournal(), json("GET", "/_sandbox/clock")]);
    clock = now;
    renderClock();
    if (changed || !loaded || Date.parse(clock.now) >= expiryDue) {
      const [faults, list] = await Promise.all([json("GET", "/_sandbox/faults"), json("GET", "/_sandbox/credentials")]);
      creds = list.data;
      states = await Promise.all(creds.map((c) => json("GET", "/_sandbox/state?api_key=" + encodeURIComponent(c.api_key))));
      const at = Date.parse(clock.now);
      expiryDue = Math.min(Infinity, ...states.flatMap((s) => s.holds.map((h) => Date.parse(h.expires_at)).filter((t) => t > at)));
      showMain();
      renderFaults(faults.data);
      renderCredentials();
    }
    if (changed || !loaded) renderJournal();
    loaded = true;
    unchanged = changed ? 0 : unchanged + 1;
    $("status").dataset.unchanged = String(unchanged);
  }

  // readJournal adds the entries journaled since the newest the page
  // holds, and says whether anything in the sandbox changed.
  async function readJournal() {
    let url = "/_sandbox/requests?limit=" + FETCH + (cursor ? "&after=" + encodeURIComponent(cursor) : "");
    const res = await call("GET", url, undefined, etag ? { "If-None-Match": etag } : {});
    if (res.status === 304) return false;
    if (res.status === 404 && cursor) {
      // The entry the page had last is gone (cleared, or pushed out).
      forgetJournal();
      return readJournal();
    }
    if (!res.ok) throw new Error("GET /_sandbox/requests: " + (await errorMessage(res)));
    const list = await res.json();
    if (cursor && list.has_more) {
      // More are new than a page holds: start over from the newest.
      forgetJournal();
      return readJournal();
    }
    if (!cursor) olderNotLoaded = list.has_more;
    entries = list.data.concat(entries).slice(0, KEEP);
    cursor = entries.length ? entries[0].request_id : null;
    etag = res.headers.get("ETag");
    return true;
  }

  function forgetJournal() {
    entries = [];
    cursor = null;
    etag = null;
  }

  // ---- drawing ----

  function showMain() {
    $("main").hidden = false;
    $("main").classList.remove("stale");
    $("banner").hidden = true;
  }

  function setState(state, text) {
    const s = $("status");
    s.dataset.state = state;
    s.textContent = text;
  }

  function renderClock() {
    const c = $("clock");
    c.dateTime = clock.now;
    c.textContent = fullFmt.format(new Date(clock.now));
    $("offset").textContent = clock.offset_seconds ? "(moved " + span(clock.offset_seconds) + " ahead)" : "";
  }

  function renderFaults(faults) {
    $("faults").tBodies[0].replaceChildren(...faults.map((f) => el("tr", { "data-fault-id": f.id },
      el("td", { class: "mono" }, f.id), el("td", {}, f.kind), el("td", {}, f.method || "any"),
      el("td", { class: "mono" }, f.path || "any"),
      el("td", {}, f.kind === "status" ? f.status : f.kind === "delay" ? f.delay_ms + " ms" : ""),
      el("td", {}, f.count), el("td", {}, f.probability),
      el("td", {}, el("button", { type: "button", "data-remove": f.id, "aria-label": "Remove fault " + f.id }, "Remove")))));
    $("faults-empty").hidden = faults.length > 0;
  }

  function renderCredentials() {
    const box = $("credentials");
    box.replaceChildren();
    creds.forEach((c, i) => {
      const s = states[i];
      const short = shortKey(c.api_key);
      const block = el("div", { class: "credential", "data-credential": short },
        el("h3", {}, (c.catalogue.account_name || "Credential") + " ", el("span", { class: "mono muted" }, short)));
      box.append(block);
      const rows = s.holds.map((h) => el("tr", { "data-hold": h.appointment_id },
        el("td", {}, "hold"), el("td", { class: "mono" }, h.appointment_id), el("td", {}, slot(h)),
        el("td", {}, "expires " + secFmt.format(new Date(h.expires_at)))))
        .concat(s.appointments.map((a) => el("tr", { "data-appointment": a.id },
          el("td", {}, a.status), el("td", { class: "mono" }, a.id), el("td", {}, slot(a)),
          el("td", { class: "mono" }, a.practitioner_id))));
      if (rows.length === 0) {
        block.append(el("p", { class: "empty" }, "No hold or appointment."));
        return;
      }
      timeline(block, s);
      block.append(el("table", {},
        el("thead", {}, el("tr", {}, ...["status", "appointment", "time", "practitioner, or hold expiry"].map((h) => el("th", {}, h)))),
        el("tbody", {}, ...rows)));
    });
  }

  // measure is a text's width in pixels as a timeline label, measured in
  // the page itself so that the spacing checks see what is drawn.
  const widths = new Map();
  function measure(text) {
    if (!widths.has(text)) {
      const probe = el("span", { class: "tick", style: "visibility:hidden" }, text);
      document.body.append(probe);
      widths.set(text, probe.getBoundingClientRect().width);
      probe.remove();
    }
    return widths.get(text);
  }

  // timeline draws a credential's holds and appointments, on as many
  // lanes as keep them apart, above an axis of local times.
  function timeline(block, state) {
    const t = Date.parse;
    const items = state.holds.map((h) => ({ kind: "hold", id: h.appointment_id, start: t(h.start), end: t(h.end) }))
      .concat(state.appointments.map((a) => ({ kind: a.status, id: a.id, start: t(a.start), end: t(a.end) })))
      .sort((a, b) => a.start - b.start || a.end - b.end);
    const box = el("div", { class: "timeline", role: "img", "aria-label": "timeline" });
    const axis = el("div", { class: "axis" });
    block.append(box, axis);
    const W = box.clientWidth;
    box.dataset.width = String(W);
    const now = t(state.now);
    let from = Math.min(now, ...items.map((i) => i.start));
    let to = Math.max(now, ...items.map((i) => i.end));
    const pad = Math.max((to - from) * 0.03, 5 * 60e3);
    from -= pad;
    to += pad;
    const x = (ms) => ((ms - from) / (to - from)) * W;

    const laneEnds = [];
    for (const i of items) {
      i.left = x(i.start);
      i.width = Math.max(x(i.end) - i.left, 3);
      let lane = laneEnds.findIndex((end) => end + 1 <= i.left);
      if (lane < 0) lane = laneEnds.push(0) - 1;
      laneEnds[lane] = i.left + i.width;
      const label = i.width >= measure(i.kind) + 8 ? i.kind : "";
      box.append(el("div", {
        class: "bar " + i.kind, "data-id": i.id,
        style: `left:${i.left}px;width:${i.width}px;top:${4 + lane * 26}px`,
        title: `${i.kind} ${i.id}: ${when(new Date(i.start).toISOString())} to ${hmFmt.format(new Date(i.end))}`,
      }, label));
    }
    box.style.height = 8 + laneEnds.length * 26 - 4 + "px";
    box.append(el("div", { class: "now", style: `left:${x(now) - 1}px`, title: "sandbox now" }));

    for (const k of ticks(from, to, W, x)) {
      axis.append(el("span", { class: "tickmark", style: `left:${k.x}px` }),
        el("span", { class: "tick", style: `left:${k.left}px` }, k.label));
    }
  }

  const STEPS = [1, 5, 15, 30].map((m) => m * 60e3)
    .concat([1, 2, 3, 6, 12].map((h) => h * 3600e3))
    .concat([1, 2, 7, 14, 28, 91, 365].map((d) => d * 864e5));
  const GAP = 10;

  // ticks chooses the smallest step whose labels, each centred on its
  // tick and kept inside the axis, leave GAP pixels between them.
  function ticks(from, to, W, x) {
    let fallback = [];
    for (const step of STEPS) {
      if ((to - from) / step > W / 24) continue; // labels could not fit
      // Steps align on local time: 09:00, 09:15, midnight.
      const off = new Date(from).getTimezoneOffset() * 60e3;
      const out = [];
      let prevDay = null;
      for (let ms = Math.ceil((from - off) / step) * step + off; ms <= to; ms += step) {
        const d = new Date(ms);
        const day = dayKey(d);
        const label = step >= 864e5 ? dayFmt.format(d) : (day !== prevDay ? dayFmt.format(d) + " " : "") + hmFmt.format(d);
        prevDay = day;
        const w = measure(label);
        out.push({ x: x(ms), label, w, left: Math.min(Math.max(x(ms) - w / 2, 0), W - w) });
      }
      const fits = out.every((k, i) => i === 0 || k.left >= out[i - 1].left + out[i - 1].w + GAP);
      if (fits && out.length >= 2) return out;
      if (fits && fallback.length === 0) fallback = out;
    }
    return fallback;
  }

  // ---- the journal ----

  function filters() {
    return {
      status: $("f-status").value, template: $("f-template").value, credential: $("f-credential").value,
      idem: $("f-idem").value.trim(), search: $("f-search").value.trim().toLowerCase(),
    };
  }

  const haystacks = new WeakMap();
  function haystack(e) {
    if (!haystacks.has(e)) {
      const err = errorOf(e);
      haystacks.set(e, [e.method, e.path, e.template, e.status, e.request_id, e.credential, e.idempotency_key,
        e.fault && e.fault.kind, err && err.code, err && err.message,
        JSON.stringify(e.request_body), JSON.stringify(e.response_body)].join("\n").toLowerCase());
    }
    return haystacks.get(e);
  }

  function matches(e, f) {
    if (f.status === "none" ? e.status !== null : f.status && String(e.status || "")[0] !== f.status) return false;
    if (f.template && (e.template || "") !== f.template) return false;
    if (f.credential && (e.credential || "none") !== f.credential) return false;
    if (f.idem && !(e.idempotency_key || "").includes(f.idem)) return false;
    return !f.search || haystack(e).includes(f.search);
  }

  // options keeps a filter's choices to the values the journal holds,
  // and the one chosen.
  function options(select, values, label) {
    const keep = select.value;
    const first = select.options[0];
    const all = [...new Set(values)].sort();
    if (keep && !all.includes(keep)) all.push(keep);
    select.replaceChildren(first, ...all.map((v) => el("option", { value: v }, label ? label(v) : v)));
    select.value = keep;
  }

  function renderJournal() {
    const templates = entries.map((e) => e.template).filter(Boolean);
    options($("f-template"), templates);
    options($("f-credential"), entries.map((e) => e.credential || "none"), (v) => (v === "none" ? "no key" : credentialName(v)));
    $("templates").replaceChildren(...[...new Set(templates)].sort().map((v) => el("option", { value: v })));

    const f = filters();
    const match = entries.filter((e) => matches(e, f));
    const rows = [];
    for (const e of match.slice(0, shown)) {
      rows.push(journalRow(e));
      if (e.request_id === selected) rows.push(el("tr", { class: "detail-row" }, el("td", { colspan: "8" }, detail(e))));
    }
    $("journal").tBodies[0].replaceChildren(...rows);
    $("journal-empty").hidden = entries.length > 0;
    $("journal-nomatch").hidden = entries.length === 0 || match.length > 0;
    $("more").hidden = match.length <= shown;
    $("more").textContent = "Show more (" + (match.length - shown) + " not shown)";
    $("journal-count").textContent = (match.length === entries.length ? entries.length : match.length + " of " + entries.length) +
      (olderNotLoaded ? ", older ones not loaded" : "") + ", newest first";
  }

  function journalRow(e) {
    const err = errorOf(e);
    const marks = el("td", {});
    if (e.fault) marks.append(el("span", { class: "mark fault", "data-fault": e.fault.kind }, "fault: " + e.fault.kind));
    if (e.replayed) marks.append(el("span", { class: "mark replay" }, "replay"));
    return el("tr", { "data-request-id": e.request_id, tabindex: "0", "aria-expanded": String(e.request_id === selected) },
      el("td", { title: fullFmt.format(new Date(e.received_at)) }, when(e.received_at)),
      el("td", {}, e.method),
      el("td", { class: "mono", title: e.template || "not in the contract" }, e.path),
      el("td", { class: "s" + String(e.status || 0)[0] }, e.status === null ? "none" : e.status),
      el("td", { class: "mono", title: err ? err.message : null }, err ? err.code : ""),
      el("td", { class: "mono" }, e.credential || ""),
      marks,
      el("td", { class: "num" }, e.duration_ms.toFixed(1)));
  }

  // detail is everything the journal has of a request, redacted as the
  // journal is: the request, then what was sent and what came back.
  function detail(e) {
    const err = errorOf(e);
    const idem = e.idempotency_key
      ? el("button", { type: "button", class: "link mono", "data-filter-idem": e.idempotency_key, title: "show only this key's requests" }, e.idempotency_key)
      : "none";
    const fields = [
      ["method", e.method], ["path", el("span", { class: "mono" }, e.path)],
      ["template", e.template ? el("span", { class: "mono" }, e.template) : "none: not in the contract"],
      ["status", e.status === null ? "none sent" : e.status], ["request id", el("span", { class: "mono" }, e.request_id)],
      ["credential", e.credential ? el("span", { class: "mono" }, e.credential) : "no key sent"],
      ["idempotency key", idem], ["replayed", e.replayed ? "yes: the stored response" : "no"],
      ["fault", e.fault ? e.fault.kind + " (" + e.fault.id + ")" : "none"],
      ["error code", err ? el("span", { class: "mono" }, err.code) : "none"], ["error message", err ? err.message : "none"],
      ["received", fullFmt.format(new Date(e.received_at)) + " (sandbox clock)"], ["took", e.duration_ms.toFixed(1) + " ms"],
    ];
    const dl = el("dl", {});
    for (const [k, v] of fields) dl.append(el("dt", {}, k), el("dd", { "data-field": k.replace(/ /g, "_") }, v));
    return el("div", { id: "detail" },
      el("div", {}, el("h3", {}, "Request"), dl),
      el("div", {}, el("h3", {}, "Request headers"), headers(e.request_headers, "request-headers"),
        el("h3", {}, "Request body"), body(e, "request_body")),
      el("div", {}, el("h3", {}, "Response headers"),
        e.response_headers ? headers(e.response_headers, "response-headers") : el("p", { class: "empty", "data-section": "response-headers" }, "None: no response was sent."),
        el("h3", {}, "Response body"), body(e, "response_body")));
  }

  function headers(h, name) {
    const names = Object.keys(h).sort();
    return el("table", { "data-section": name }, el("tbody", {}, ...names.map((k) => el("tr", {}, el("td", { class: "mono" }, k), el("td", { class: "mono" }, h[k])))));
  }

  function body(e, name) {
    const v = e[name];
    if (v === undefined) return el("p", { class: "empty", "data-section": name }, "None.");
    const cut = e.truncated.includes(name) ? " (cut to the journal's limit)" : "";
    return el("div", {}, el("pre", { "data-section": name }, typeof v === "string" ? v : JSON.stringify(v, null, 2)), cut ? el("p", { class: "muted" }, cut) : null);
  }

  // ---- actions ----

  let actions = 0;
  async function act(fn) {
    const out = $("action-result");
    try {
      out.textContent = await fn();
      out.classList.remove("error");
    } catch (e) {
      if (e instanceof AuthError) return fail(e);
      out.textContent = e.message;
      out.classList.add("error");
    }
    out.dataset.seq = String(++actions);
    wake();
  }

  $("advance-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const unit = $("advance-unit");
    const seconds = Number($("advance-amount").value) * Number(unit.value);
    act(async () => {
      await json("POST", "/_sandbox/clock/advance", { seconds });
      return "Clock moved " + span(seconds) + " ahead.";
    });
  });

  $("fault-kind").addEventListener("change", kindFields);
  function kindFields() {
    const kind = $("fault-kind").value;
    for (const l of document.querySelectorAll("#fault-form [data-for]")) l.hidden = l.dataset.for !== kind;
  }
  kindFields();

  $("fault-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = { kind: $("fault-kind").value, count: Number($("fault-count").value) || 1 };
    if ($("fault-method").value) f.method = $("fault-method").value;
    if ($("fault-path").value.trim()) f.path = $("fault-path").value.trim();
    if (f.kind === "status") f.status = Number($("fault-status").value);
    if (f.kind === "delay") f.delay_ms = Number($("fault-delay").value);
    act(async () => {
      const made = await json("POST", "/_sandbox/faults", f);
      return "Fault " + made.id + " added.";
    });
  });

  $("faults").addEventListener("click", (ev) => {
    const id = ev.target.dataset && ev.target.dataset.remove;
    if (!id) return;
    act(async () => {
      await json("DELETE", "/_sandbox/faults/" + encodeURIComponent(id));
      return "Fault " + id + " removed.";
    });
  });

  $("clear-journal").addEventListener("click", () => act(async () => {
    await json("DELETE", "/_sandbox/requests");
    forgetJournal();
    selected = null;
    return "Journal cleared.";
  }));

  $("reset-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const flags = { rewind_clock: $("reset-clock").checked, clear_faults: $("reset-faults").checked, clear_journal: $("reset-journal").checked };
    act(async () => {
      await json("POST", "/_sandbox/reset", flags);
      if (flags.clear_journal) { forgetJournal(); selected = null; }
      return "Sandbox reset.";
    });
  });

  // ---- the journal's controls ----

  function refilter() {
    shown = PAGE;
    renderJournal();
  }
  for (const id of ["f-status", "f-template", "f-credential"]) $(id).addEventListener("change", refilter);
  for (const id of ["f-idem", "f-search"]) $(id).addEventListener("input", refilter);
  $("more").addEventListener("click", () => { shown += PAGE; renderJournal(); });

  // toggle opens a request under its row, or closes it.
  function toggle(tr) {
    selected = selected === tr.dataset.requestId ? null : tr.dataset.requestId;
    renderJournal();
  }
  $("journal").addEventListener("click", (ev) => {
    const key = ev.target.dataset && ev.target.dataset.filterIdem;
    if (key) {
      $("f-idem").value = key;
      refilter();
      return;
    }
    const tr = ev.target.closest("tr[data-request-id]");
    if (tr) toggle(tr);
  });
  $("journal").addEventListener("keydown", (ev) => {
    const tr = ev.target.closest("tr[data-request-id]");
    if (tr && ev.key === "Enter") toggle(tr);
  });

  // ---- the loop ----

  // fail shows why the page cannot read the sandbox, and nothing that
  // could be mistaken for the sandbox's state.
  function fail(e) {
    const banner = $("banner");
    if (e instanceof AuthError) {
      setState("unauthorised", "not authorised");
      $("main").hidden = true;
      loaded = false;
      forgetJournal();
      banner.replaceChildren(e.status === 401
        ? el("span", {}, "The sandbox's control API needs its token" + (token ? ", and refused the one this page has. " : ", and this page has none. "),
          "Open the page as ", el("code", {}, location.pathname + "#token=TOKEN"), ", TOKEN being the --control-token dronline mock was started with.")
        : el("span", {}, "The sandbox refused the inspector: " + e.message));
    } else {
      setState("unreachable", "cannot reach the sandbox");
      $("main").classList.add("stale");
      banner.replaceChildren(el("span", {}, "Cannot reach the sandbox at " + location.origin + " (" + e.message + "). " +
        (loaded ? "What is shown is as it was; " : "") + "retrying every second."));
    }
    banner.hidden = false;
  }

  let wakeUp = null;
  function wake() {
    if (wakeUp) wakeUp();
  }

  window.addEventListener("hashchange", () => {
    token = readToken();
    forgetJournal();
    loaded = false;
    wake();
  });
  let resized = null;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(() => loaded && renderCredentials(), 100);
  });

  async function loop() {
    for (;;) {
      try {
        await poll();
        setState("live", "live");
      } catch (e) {
        // Shown on the page, not thrown: a mock that restarts is no page error.
        fail(e);
      }
      await new Promise((resolve) => {
        wakeUp = resolve;
        setTimeout(resolve, POLL_MS);
      });
      wakeUp = null;
    }
  }
  loop();
})();
