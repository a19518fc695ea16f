// The sandbox inspector: polls the control API and redraws. Plain DOM, no
// framework and no build step, so the page is served as it is written.
"use strict";

(function () {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  const headers = token ? { Authorization: "Bearer " + token } : {};

  async function get(path) {
    const res = await fetch(path, { headers, cache: "no-store" });
    if (!res.ok) throw new Error(path + " answered " + res.status);
    return res.json();
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }

  function fill(table, rows, emptyId) {
    const body = table.tBodies[0];
    body.replaceChildren(...rows);
    document.getElementById(emptyId).hidden = rows.length > 0;
  }

  function journalRow(r) {
    const marks = el("td", {});
    if (r.fault) marks.append(el("span", { class: "mark fault", "data-fault": r.fault.kind }, "fault: " + r.fault.kind));
    if (r.replayed) marks.append(el("span", { class: "mark replay" }, "replay"));
    const status = r.status === null ? "none" : r.status;
    return el("tr", { "data-request-id": r.request_id },
      el("td", {}, r.received_at),
      el("td", {}, r.method),
      el("td", { class: "mono" }, r.template || r.path),
      el("td", { class: "s" + String(r.status || 0)[0] }, status),
      el("td", { class: "mono" }, r.idempotency_key || ""),
      marks,
      el("td", {}, r.duration_ms.toFixed(1)));
  }

  function faultRow(f) {
    return el("tr", { "data-fault-id": f.id },
      el("td", { class: "mono" }, f.id), el("td", {}, f.kind), el("td", {}, f.method || "any"),
      el("td", { class: "mono" }, f.path || "any"), el("td", {}, f.status === null ? "" : f.status),
      el("td", {}, f.count), el("td", {}, f.probability));
  }

  // timeline draws a credential's holds and appointments over the span
  // from now to the last of them, so the next bookings are side by side.
  function timeline(state) {
    const items = state.holds.map((h) => ({ kind: "hold", id: h.appointment_id, start: h.start, end: h.end }))
      .concat(state.appointments.map((a) => ({ kind: a.status, id: a.id, start: a.start, end: a.end })));
    const box = el("div", { class: "timeline", "aria-label": "timeline" });
    if (items.length === 0) return box;
    const t = (s) => Date.parse(s);
    const from = Math.min(Date.parse(state.now), ...items.map((i) => t(i.start)));
    const to = Math.max(...items.map((i) => t(i.end)));
    const span = Math.max(to - from, 1);
    for (const i of items) {
      const left = ((t(i.start) - from) / span) * 100;
      const width = Math.max(((t(i.end) - t(i.start)) / span) * 100, 0.5);
      box.append(el("div", { class: "bar " + i.kind, style: `left:${left}%;width:${width}%`, title: `${i.kind} ${i.id} ${i.start}` }, i.kind));
    }
    return box;
  }

  function credentialBlock(cred, state) {
    const rows = state.holds.map((h) => el("tr", { "data-hold": h.appointment_id },
      el("td", {}, "hold"), el("td", { class: "mono" }, h.appointment_id), el("td", {}, h.start), el("td", {}, "expires " + h.expires_at)))
      .concat(state.appointments.map((a) => el("tr", { "data-appointment": a.id },
        el("td", {}, a.status), el("td", { class: "mono" }, a.id), el("td", {}, a.start), el("td", {}, a.practitioner_id))));
    const key = cred.api_key.slice(0, 16) + "…";
    return el("div", { class: "credential" },
      el("h3", {}, cred.catalogue.account_name || "Credential", " ", el("span", { class: "mono" }, key)),
      timeline(state),
      rows.length ? el("table", {}, el("tbody", {}, ...rows)) : el("p", { class: "empty" }, "No hold or appointment."));
  }

  async function refresh() {
    const [clock, faults, journal, creds] = await Promise.all([
      get("/_sandbox/clock"), get("/_sandbox/faults"), get("/_sandbox/requests?limit=200"), get("/_sandbox/credentials"),
    ]);
    document.getElementById("clock").textContent = clock.now;
    document.getElementById("offset").textContent = clock.offset_seconds ? `(advanced ${clock.offset_seconds} s)` : "";
    fill(document.getElementById("faults"), faults.data.map(faultRow), "faults-empty");
    fill(document.getElementById("journal"), journal.data.map(journalRow), "journal-empty");
    const states = await Promise.all(creds.data.map((c) => get("/_sandbox/state?api_key=" + encodeURIComponent(c.api_key))));
    document.getElementById("credentials").replaceChildren(...creds.data.map((c, i) => credentialBlock(c, states[i])));
  }

  async function loop() {
    const status = document.getElementById("status");
    try {
      await refresh();
      status.textContent = "live";
    } catch (e) {
      // Shown on the page, not thrown: a mock that restarts is no page error.
      status.textContent = "cannot reach the sandbox (" + e.message + ")";
    }
    setTimeout(loop, 1000);
  }
  loop();
})();
