// Home visits without a network (ADR 0030). The service worker (/sw.js) keeps the pages a
// person opened; this file keeps what they type on the visit form in IndexedDB, per household,
// and sends a saved visit with a key made on this device as soon as the server can be reached:
// on this page, on the next page, when the network comes back, after signing in again. The
// server stores a visit once per key, so a visit sent twice (a double tap, two tabs, a retry)
// arrives once. A visit leaves this device only when the server answered that it has it.
const OFFLINE_DB = "inclusie";
const OFFLINE_STORE = "visits";
const PAGES_CACHE = "inclusie-pages";
const DEVICE_USER = "inclusie-device-user";
const RETRY_SECONDS = 30;

const offlineTexts = () => (document.getElementById("offline-texts") || { dataset: {} }).dataset;

function registerWorker() {
  const url = document.body.dataset.serviceWorker;
  if (!url || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(url, { scope: "/" }).catch(() => {
    // No worker (a private window, an old browser): the pages work online as before.
  });
}

// --- The visits kept in IndexedDB -------------------------------------------------------------
// A record: {id, user, organisation, household, label, url (where it is sent), form (its page),
// key, at, madeAt, state: draft | waiting | conflict | invalid, message, values}. While typed it
// is "<user>:<household>"; once saved it is "<user>:<household>:<key>", so a next visit to the
// same household can be typed while the first one waits.

function openVisits() {
  return new Promise((resolve, reject) => {
    const request = window.indexedDB.open(OFFLINE_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(OFFLINE_STORE, { keyPath: "id" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function visitStore(mode, work) {
  return openVisits().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(OFFLINE_STORE, mode);
    const request = work(tx.objectStore(OFFLINE_STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(request.result);
    };
    tx.onerror = () => {
      db.close();
      reject(tx.error);
    };
  }));
}

const visitsAll = () => visitStore("readonly", (store) => store.getAll());
const visitGet = (id) => visitStore("readonly", (store) => store.get(id));
const visitPut = (record) => visitStore("readwrite", (store) => store.put(record));
const visitDelete = (id) => visitStore("readwrite", (store) => store.delete(id));

// Whether the database exists, without making it (opening it would).
function visitsExist() {
  if (!window.indexedDB.databases) return Promise.resolve(true);
  return window.indexedDB.databases().then((all) => all.some((db) => db.name === OFFLINE_DB));
}

function deleteVisitsDb() {
  return new Promise((resolve) => {
    const request = window.indexedDB.deleteDatabase(OFFLINE_DB);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    request.onblocked = () => resolve();
  });
}

function deleteCaches() {
  if (!window.caches) return Promise.resolve();
  return window.caches.keys().then((names) => Promise.all(names.map((name) => window.caches.delete(name))));
}

// Leave nothing of this person on the device: their visits, drafts and the kept pages. What
// another person left waiting on the same device stays (it is sent when they sign in).
function forgetDevice(user) {
  draftKeys(user).forEach((storageKey) => window.localStorage.removeItem(storageKey));
  return visitsExist()
    .then((exists) => (exists ? visitsAll() : []))
    .then((records) => Promise.all(records.filter((r) => r.user === user).map((r) => visitDelete(r.id)))
      .then(() => records.some((r) => r.user !== user)))
    .then((othersLeft) => (othersLeft ? null : deleteVisitsDb()))
    .then(deleteCaches)
    .catch(() => deleteCaches());
}

// Switching organisation: the visits made for the one left, and the pages kept while acting
// for it (they showed its households).
function forgetOrganisation(user, organisation) {
  return visitsAll()
    .then((records) => Promise.all(records
      .filter((r) => r.user === user && r.organisation === organisation)
      .map((r) => visitDelete(r.id))))
    .catch(() => {})
    .then(() => (window.caches ? window.caches.delete(PAGES_CACHE) : null));
}

// A page without a signed-in person (the login page after a session ended, also by an
// administrator): the kept pages always go, so the next person on this phone cannot open them;
// the visits stay when some wait to be sent after signing in again (as their own maker only).
function forgetUnlessWaiting() {
  if (window.caches) window.caches.delete(PAGES_CACHE).catch(() => {});
  if (!window.indexedDB) return;
  visitsExist()
    .then((exists) => (exists ? visitsAll() : []))
    .then((records) => (records.length ? null : deleteVisitsDb().then(deleteCaches)))
    .catch(() => {});
}

// A signed-in page of another person than the last one on this device: the pages kept for
// that one go (a session that ended without passing the login page, on a shared phone).
function forgetOtherPerson(user) {
  let last = null;
  try {
    last = window.localStorage.getItem(DEVICE_USER);
    if (last === user) return;
    window.localStorage.setItem(DEVICE_USER, user);
  } catch {
    last = ""; // No storage: nothing to compare with, so nothing kept is trusted.
  }
  if (last !== null && window.caches) window.caches.delete(PAGES_CACHE).catch(() => {});
}

// --- Sending --------------------------------------------------------------------------------

function fillForm(record) {
  const data = new FormData();
  Object.entries(record.values).forEach(([name, values]) => values.forEach((v) => data.append(name, v)));
  data.append("idempotency_key", record.key);
  data.append("made_at", record.madeAt);
  return data;
}

// What an answer of the server means for a waiting visit. 200, 409 and 422 carry the
// server's own word; a 403 means this person may no longer send visits (another role), a
// 400 or 413 that the visit as kept cannot be taken; anything else is no answer yet.
function answered(response) {
  const texts = offlineTexts();
  if (response.status === 401 || response.redirected) return { state: "ended" };
  if ([200, 409, 422].includes(response.status)) return response.json();
  if (response.status === 403) return { state: "conflict", message: texts.forbidden };
  if ([400, 413].includes(response.status)) return { state: "invalid", message: texts.unreadable };
  return { state: "waiting" };
}

// Send one waiting visit. First the session's status, as a background request: it says
// whether the session still holds, whose it is (a visit is sent only in its maker's session)
// and gives today's form token (a page kept offline has an old one). The answer is one of
// saved, invalid, conflict (kept with the server's message), waiting (no network or no
// answer) or ended (sign in again, as the person who made it).
function sendVisit(record, foreground, rekeyed = false) {
  const statusUrl = document.body.dataset.sessionUrl;
  const background = { "X-Inclusie-Background": "1" };
  return window.fetch(statusUrl, { headers: background, credentials: "same-origin" })
    .then((status) => {
      if (status.status === 401 || status.redirected) return { state: "ended" };
      if (!status.ok) return { state: "waiting" };
      return status.json().then(({ csrf, user }) => {
        if (String(user) !== String(record.user)) return { state: "ended" };
        return window.fetch(record.url, {
          method: "POST",
          body: fillForm(record),
          headers: { "X-CSRFToken": csrf, ...(foreground ? {} : background) },
          credentials: "same-origin",
        }).then(answered);
      });
    })
    .catch(() => ({ state: "waiting" }))
    .then((outcome) => {
      if (outcome.rekey && !rekeyed) {
        // Its key came with another visit before (ADR 0030): this is a new visit, with a new key.
        const key = newKey();
        const renewed = { ...record, key, id: `${record.user}:${record.household}:${key}` };
        return visitPut(renewed).then(() => visitDelete(record.id)).catch(() => {})
          .then(() => sendVisit(renewed, foreground, true));
      }
      let kept;
      if (outcome.state === "saved") {
        kept = visitDelete(record.id);
      } else if (outcome.state === "conflict" || outcome.state === "invalid") {
        kept = visitPut({ ...record, state: outcome.state, message: outcome.message, ended: false });
      } else {
        kept = visitPut({ ...record, state: "waiting", ended: outcome.state === "ended" });
      }
      return kept.then(() => outcome, () => outcome);
    });
}

// --- On every page of a signed-in person ------------------------------------------------------

function offlineVisits(user) {
  if (!window.indexedDB) return;
  const { body } = document;
  const organisation = body.dataset.organisation || "";
  const texts = offlineTexts();
  const mine = (records) => records.filter((r) => r.user === user);
  let syncing = null;
  const sent = []; // sent from this page, to say so on the form

  const describe = (record) => {
    if (record.state === "draft") return texts.draft;
    if (record.state === "conflict") return `${texts.conflict} ${record.message}`;
    if (record.state === "invalid") return `${texts.invalid} ${record.message || ""}`;
    return record.ended ? texts.ended : texts.waiting;
  };

  const when = (record) => new Date(record.madeAt || record.at).toLocaleString(document.documentElement.lang, {
    dateStyle: "medium", timeStyle: "short",
  });

  const button = (text, classes, action) => {
    const el = document.createElement("button");
    el.type = "button";
    el.className = `btn btn-sm ${classes}`;
    el.textContent = text;
    el.addEventListener("click", action);
    return el;
  };

  // The count in the header, the list on the start page, the status on the visit form.
  const refresh = () => visitsAll().then((all) => {
    const records = mine(all);
    const waiting = records.filter((r) => r.state !== "draft");
    document.querySelectorAll("[data-waiting-count]").forEach((el) => {
      el.hidden = waiting.length === 0;
      el.querySelector("[data-waiting-number]").textContent = String(waiting.length);
    });
    document.querySelectorAll("[data-waiting-list]").forEach((section) => {
      const list = section.querySelector("[data-waiting-items]");
      list.replaceChildren(...records.map((record) => {
        const item = document.createElement("li");
        item.className = `card card-body py-2${record.state === "conflict" ? " border-danger" : ""}`;
        item.dataset.testid = "waiting-visit";
        const title = document.createElement("p");
        title.className = "fw-semibold mb-0";
        title.textContent = record.label;
        const meta = document.createElement("p");
        meta.className = "small text-body-secondary mb-1";
        meta.textContent = `${texts.made} ${when(record)}`;
        const state = document.createElement("p");
        state.className = "mb-2";
        state.textContent = describe(record);
        const actions = document.createElement("div");
        actions.className = "d-flex flex-wrap gap-2";
        const open = document.createElement("a");
        open.className = "btn btn-sm btn-outline-primary";
        open.href = record.form;
        open.textContent = texts.open;
        if (record.state === "invalid") {
          // To correct it, the visit goes back on its form as the draft (same key, so it still
          // arrives once), unless another visit to that household is being typed there now.
          open.addEventListener("click", (event) => {
            event.preventDefault();
            const draftId = `${record.user}:${record.household}`;
            visitGet(draftId).then((typed) => (typed ? null : visitPut({
              ...record, id: draftId, state: "draft", madeAt: null,
            }).then(() => visitDelete(record.id)))).catch(() => {})
              .then(() => window.location.assign(record.form));
          });
        }
        actions.append(open);
        if (record.state === "conflict") {
          // Whatever stood in the way may be gone (the household is shared again).
          actions.append(button(texts.retry, "btn-outline-primary", () => {
            visitPut({ ...record, state: "waiting" }).then(sync);
          }));
        }
        actions.append(button(texts.delete, "btn-outline-danger", () => {
          if (window.confirm(texts.deleteConfirm)) visitDelete(record.id).then(refresh);
        }));
        item.append(title, meta, state, actions);
        return item;
      }));
      section.hidden = records.length === 0;
    });
    // What went from this page in the background is said, so nothing leaves the list unseen.
    document.querySelectorAll("[data-sent-notice]").forEach((notice) => {
      notice.hidden = sent.length === 0;
      notice.textContent = `${texts.sentHere} ${sent.map((r) => r.label).join("; ")}.`;
    });
    const form = document.querySelector("form[data-offline]");
    const status = document.querySelector("[data-draft-status]");
    if (form && status) {
      const ours = (r) => String(r.household) === form.dataset.household;
      const here = records.filter(ours);
      const waiting_ = here.filter((r) => r.state !== "draft");
      const arrived = sent.filter(ours).length > 0;
      status.hidden = here.length === 0 && !arrived;
      // A draft that came back from the server refused still says why, until it is saved.
      const refused = here.filter((r) => r.state === "draft" && r.message).map((r) => `${texts.refused} ${r.message}`);
      status.textContent = here.length ? [texts.savedHere, ...refused, ...waiting_.map(describe)].join(". ") : (arrived ? texts.sent : "");
      status.classList.toggle("alert-danger", waiting_.some((r) => r.state === "conflict"));
      status.classList.toggle("alert-success", !here.length && arrived);
      status.classList.toggle("alert-warning", here.length > 0);
    }
  }).catch(() => {});

  // Send what waits for this person and the organisation they act for, one at a time. A call
  // while a round is on its way (the network came back during it) asks for one more round.
  let again = false;
  const sync = () => {
    if (syncing) {
      again = true;
      return syncing;
    }
    again = false;
    syncing = visitsAll()
      .then((all) => mine(all).filter((r) => r.state === "waiting" && r.organisation === organisation))
      .then((records) => records.reduce((chain, r) => chain.then(() => sendVisit(r, false).then((outcome) => {
        if (outcome.state === "saved") sent.push(r);
      })), Promise.resolve()))
      .catch(() => {})
      .then(() => {
        syncing = null;
        return refresh();
      })
      .then(() => (again ? sync() : null));
    return syncing;
  };

  forgetOtherPerson(user);
  const form = document.querySelector("form[data-offline]");
  if (form) visitForm(form, user, organisation, refresh);
  guardLeaving(user, organisation, sync);
  refresh().then(sync);
  window.addEventListener("online", sync);
  // A network that is there but answers nothing fires no event: try again now and then.
  window.setInterval(() => {
    if (navigator.onLine) visitsAll().then((all) => {
      if (mine(all).some((r) => r.state === "waiting" && r.organisation === organisation)) sync();
    }).catch(() => {});
  }, RETRY_SECONDS * 1000);
}

// The visit form: every change is kept on this device; saving sends it at once when it can,
// and otherwise keeps it waiting and empties the form for the next visit. The draft is read
// from the device at each change, never held here: another tab of the same household may have
// saved it meanwhile, and then this one is a new visit with a key of its own.
function visitForm(form, user, organisation, refresh) {
  const id = `${user}:${form.dataset.household}`;
  const problem = document.querySelector("[data-storage-problem]");
  let writing = Promise.resolve();
  // One write after the other. A failed one (storage full or switched off) is said on the form.
  const write = (work) => {
    const done = writing.then(work);
    writing = done.catch(() => {});
    return done;
  };
  const stored = (ok) => {
    if (problem) problem.hidden = ok;
  };
  const fresh = () => ({
    id,
    user,
    organisation,
    household: form.dataset.household,
    label: form.dataset.label,
    url: form.dataset.offline,
    form: window.location.pathname,
    key: newKey(),
    state: "draft",
  });
  const save = () => write(() => visitGet(id)
    .then((kept) => visitPut({ ...(kept || fresh()), at: Date.now(), values: formValues(form) })))
    .then(() => stored(true), () => stored(false))
    .then(refresh);

  visitGet(id).then((kept) => {
    if (!kept) return;
    if (JSON.stringify(kept.values) !== JSON.stringify(formValues(form))) putBack(form, kept.values);
  }).catch(() => {}).then(() => {
    form.addEventListener("input", save);
    form.addEventListener("change", save);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (form.dataset.sending) return; // a double tap: the first one is on its way
    form.dataset.sending = "1";
    const values = formValues(form);
    const made = (kept) => {
      const base = kept || fresh();
      return { ...base, values, at: Date.now(), id: `${id}:${base.key}`, state: "waiting", madeAt: new Date().toISOString() };
    };
    let record = null;
    let onDevice = true;
    write(() => visitGet(id).then((kept) => {
      record = made(kept);
      return visitPut(record).then(() => visitDelete(id));
    }))
      .catch(() => {
        // Not kept on this device: sent straight away, and the form keeps what was typed.
        onDevice = false;
        record = record || made(null);
      })
      .then(() => sendVisit(record, true))
      .then((outcome) => {
        if (outcome.state === "saved") {
          window.location.assign(outcome.url);
          return null;
        }
        if (outcome.state === "invalid") {
          // The server shows the form with its messages beside the fields, as without JavaScript;
          // the visit is a draft again, sent with the same key.
          const back = onDevice
            ? write(() => visitPut({ ...record, id, state: "draft", madeAt: null }).then(() => visitDelete(record.id)))
            : Promise.resolve();
          return back.catch(() => {}).then(() => {
            ["idempotency_key", "made_at"].forEach((name) => {
              const field = document.createElement("input");
              field.type = "hidden";
              field.name = name;
              field.value = name === "made_at" ? record.madeAt : record.key;
              form.append(field);
            });
            form.submit();
          });
        }
        delete form.dataset.sending;
        if (!onDevice) {
          // Neither sent nor kept: nothing is emptied, and the form says so.
          stored(false);
          problem?.scrollIntoView();
          return null;
        }
        // Waiting, ended or a conflict: the visit stays here, the form is free for the next one.
        form.reset();
        if (outcome.state === "ended") {
          // The server is there but the session is not: its login page, and back here after it,
          // where the visit is sent.
          window.location.reload();
          return null;
        }
        return refresh().then(() => document.querySelector("[data-draft-status]")?.scrollIntoView());
      });
  });
}

// Signing out and switching organisation: first send what waits; if anything would stay
// behind unsent, say what would be lost and go on only when the person confirms. Signing out
// concerns all of this person's visits; switching those made for the organisation they leave
// (choosing a first one, right after signing in, leaves nothing).
function guardLeaving(user, organisation, sync) {
  const warning = document.getElementById("leave-warning");
  const actorUrl = document.body.dataset.actorUrl;
  const switching = (form) => actorUrl && new URL(form.action, window.location.href).pathname === actorUrl;
  const leaving = Array.from(document.querySelectorAll("form"))
    .filter((form) => form.hasAttribute("data-logout") || (organisation && switching(form)));
  leaving.forEach((form) => form.addEventListener("submit", (event) => {
    if (form.dataset.cleared) return;
    event.preventDefault();
    const out = form.hasAttribute("data-logout");
    const concerned = (r) => r.user === user && (out || r.organisation === organisation);
    const go = () => (out ? forgetDevice(user) : forgetOrganisation(user, organisation)).then(() => {
      form.dataset.cleared = "1";
      form.submit();
    });
    // What could not be read is not taken for nothing left: the warning says so.
    sync().then(() => visitsAll()).then((all) => all.filter(concerned)).catch(() => null).then((left) => {
      if ((left && !left.length) || !warning) {
        go();
        return;
      }
      const list = warning.querySelector("[data-leave-items]");
      const texts = offlineTexts();
      list.replaceChildren(...(left || [null]).map((record) => {
        const item = document.createElement("li");
        if (!record) {
          item.textContent = texts.unknown;
          return item;
        }
        const made = new Date(record.madeAt || record.at).toLocaleString(document.documentElement.lang, {
          dateStyle: "medium", timeStyle: "short",
        });
        item.textContent = `${record.label} (${record.state === "draft" ? texts.draft : texts.made} ${made})`;
        return item;
      }));
      warning.hidden = false;
      const confirm = warning.querySelector("[data-leave-confirm]");
      const cancel = warning.querySelector("[data-leave-cancel]");
      const close = () => {
        warning.hidden = true;
        confirm.onclick = null;
        cancel.onclick = null;
      };
      confirm.onclick = () => {
        close();
        go();
      };
      cancel.onclick = close;
      cancel.focus();
    });
  }));
}
