// Small behaviours that need no inline script (the Content-Security-Policy forbids inline code).
document.addEventListener("DOMContentLoaded", () => {
  // Submit the language form as soon as a language is chosen; the button stays for no-JS use.
  document.querySelectorAll(".language-switch select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  // The print button of a printable page.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // A printable sheet that must fit one page (data-fit-page: its printable height in mm) is
  // scaled down when printed if its content is taller; on screen it keeps its size.
  document.querySelectorAll("[data-fit-page]").forEach((sheet) => {
    const printing = window.matchMedia("print");
    const fit = (force) => {
      sheet.style.zoom = "";
      if (!force && !printing.matches) return;
      const limit = (Number(sheet.dataset.fitPage) * 96) / 25.4;
      const height = sheet.getBoundingClientRect().height;
      if (height > limit) sheet.style.zoom = String(Math.floor((limit / height) * 100) / 100);
    };
    printing.addEventListener("change", () => fit(false));
    window.addEventListener("beforeprint", () => fit(true));
    window.addEventListener("afterprint", () => fit(false));
    fit(false);
  });
  // A period filter shows only the fields of the chosen kind (all of them without JavaScript);
  // a field with an error stays in sight.
  document.querySelectorAll("select[name=periode]").forEach((select) => {
    const fields = select.form.querySelectorAll("[data-period-for]");
    const update = () => fields.forEach((field) => {
      const wanted = field.dataset.periodFor.split(" ").includes(select.value || "jaar");
      field.hidden = !wanted && !field.querySelector(".is-invalid");
    });
    select.addEventListener("change", update);
    update();
  });
  // Confirm dangerous actions named in data-confirm before their form is sent.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  registerWorker();
  if (document.body.dataset.user) {
    keepDrafts(document.body.dataset.user);
    offlineVisits(document.body.dataset.user);
    watchSession();
  } else {
    forgetUnlessWaiting();
  }
});

// Drafts (ADR 0016): what a person types in a form marked data-draft="<form>:<object>" is kept
// in this browser under their own user id until the server confirms it was saved, and sent
// with a key made here, which the server honours once. A form sent after a time-out goes to the
// login page; after logging in the form shows the draft again, and saving it saves it once.
const DRAFT_PREFIX = "inclusie:draft:";
const DRAFT_DAYS = 1; // the server forgets a key after a day (partners.services.submissions)
const NOT_KEPT = ["hidden", "password", "file", "submit", "button", "reset", "image"];

function newKey() {
  if (window.crypto.randomUUID) return window.crypto.randomUUID();
  // Outside a secure context (a plain-http test machine) randomUUID is missing.
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function readDraft(storageKey) {
  try {
    return JSON.parse(window.localStorage.getItem(storageKey));
  } catch {
    return null;
  }
}

function draftKeys(user) {
  const keys = [];
  for (let i = 0; i < window.localStorage.length; i += 1) {
    const key = window.localStorage.key(i);
    if (key && key.startsWith(`${DRAFT_PREFIX}${user}:`)) keys.push(key);
  }
  return keys;
}

function formFields(form) {
  return Array.from(form.elements).filter(
    (el) => el.name && !NOT_KEPT.includes(el.type) && ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName),
  );
}

function formValues(form) {
  const values = {};
  formFields(form).forEach((el) => {
    values[el.name] = values[el.name] || [];
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.checked) values[el.name].push(el.value);
    } else if (el.type === "select-multiple") {
      values[el.name].push(...Array.from(el.selectedOptions, (option) => option.value));
    } else {
      values[el.name].push(el.value);
    }
  });
  return values;
}

function formRestore(form, values) {
  const seen = {};
  formFields(form).forEach((el) => {
    const wanted = values[el.name];
    if (!wanted) return;
    if (el.type === "checkbox" || el.type === "radio") {
      el.checked = wanted.includes(el.value);
    } else if (el.type === "select-multiple") {
      Array.from(el.options).forEach((option) => { option.selected = wanted.includes(option.value); });
    } else {
      const n = seen[el.name] || 0;
      seen[el.name] = n + 1;
      if (n < wanted.length) el.value = wanted[n];
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
  });
}

// Put a draft back in its form and say so.
function putBack(form, values) {
  formRestore(form, values);
  const notice = document.getElementById("draft-restored");
  if (notice) form.prepend(notice.content.firstElementChild.cloneNode(true));
  // A form folded away (declining, in a <details>) is opened so the text is seen.
  const folded = form.closest("details");
  if (folded) folded.open = true;
}

function keepDrafts(user) {
  // Drop what the server confirmed (the keys named by this page) and what is too old to send.
  const saved = (document.body.dataset.draftsSaved || "").split(" ").filter(Boolean);
  const oldest = Date.now() - DRAFT_DAYS * 24 * 60 * 60 * 1000;
  draftKeys(user).forEach((storageKey) => {
    const draft = readDraft(storageKey);
    if (!draft || saved.includes(draft.key) || draft.at < oldest) {
      window.localStorage.removeItem(storageKey);
    }
  });
  // Signing out on purpose leaves nothing of this person's on a shared device: see
  // guardLeaving, which also clears what the offline visits keep.
  document.querySelectorAll("form[data-draft]:not([data-offline])").forEach((form) => {
    const storageKey = `${DRAFT_PREFIX}${user}:${form.dataset.draft}`;
    const snapshot = () => formValues(form);
    const save = () => {
      const draft = readDraft(storageKey);
      const kept = { key: (draft && draft.key) || newKey(), at: Date.now(), values: snapshot() };
      try {
        window.localStorage.setItem(storageKey, JSON.stringify(kept));
      } catch {
        // Storage full or switched off: the form still works, without a draft.
      }
      return kept;
    };

    const draft = readDraft(storageKey);
    if (draft && draft.values && JSON.stringify(draft.values) !== JSON.stringify(snapshot())) {
      putBack(form, draft.values);
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", () => {
      const kept = save();
      let field = form.querySelector("input[name=idempotency_key]");
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = "idempotency_key";
        form.append(field);
      }
      field.value = kept.key;
    });
  });
}

// The idle limit (ADR 0016): the page knows from the server how long the session has left and
// counts down with the browser's clock. Shortly before the end it asks the server again (as a
// background request, which is no activity): when another tab was used meanwhile it waits
// longer, otherwise it warns with a button that keeps the person signed in. At the end it
// loads the page again, which the server answers with the login page.
function watchSession() {
  const { body } = document;
  const warning = document.getElementById("session-warning");
  if (!warning || !body.dataset.sessionUrl) return;
  const url = body.dataset.sessionUrl;
  const warnFor = Number(body.dataset.sessionWarning) * 1000;
  const countdown = warning.querySelector("[data-session-countdown]");
  const button = warning.querySelector("[data-session-extend]");
  let deadline = Date.now() + Number(body.dataset.sessionRemaining) * 1000;
  let timer = null;
  let ticker = null;
  let returnFocus = null;

  // Past the limit a poll and the timer may both learn it; one trip to the login page is
  // enough (a second would take away its "session ended" message).
  let leaving = false;
  window.addEventListener("beforeunload", () => { leaving = true; });
  window.addEventListener("pageshow", () => { leaving = false; });
  body.addEventListener("htmx:beforeOnLoad", (event) => {
    if (leaving) event.preventDefault();
  });
  const ended = () => {
    if (!leaving) window.location.assign(window.location.href);
  };
  const hide = () => {
    warning.hidden = true;
    window.clearInterval(ticker);
    if (returnFocus && document.activeElement === button) returnFocus.focus();
  };
  const tick = () => {
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  };
  const later = (ms, what) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(what, Math.max(0, ms));
  };
  const show = () => {
    if (warning.hidden) {
      warning.hidden = false;
      tick();
      ticker = window.setInterval(tick, 1000);
      // Take the focus only from nothing in particular, never from someone typing.
      const active = document.activeElement;
      if (!active || active === body || !active.matches("input, textarea, select, [contenteditable]")) {
        returnFocus = active && active !== body ? active : null;
        button.focus();
      }
    }
    later(deadline - Date.now(), check);
  };
  const learn = (response) => {
    if (response.status === 401 || response.redirected) {
      ended();
      return;
    }
    if (!response.ok) throw new Error(`session status ${response.status}`);
    return response.json().then(({ remaining }) => {
      deadline = Date.now() + remaining * 1000;
      if (remaining <= 0) {
        // The server ends the session on its next request past the limit; ask once more.
        later(2000, check);
      } else if (remaining * 1000 > warnFor) {
        hide();
        later(deadline - warnFor - Date.now(), check);
      } else {
        show();
      }
    });
  };
  // Offline or a server error: go by this page's own count.
  const guess = () => (deadline - Date.now() <= warnFor ? show() : later(deadline - warnFor - Date.now(), check));
  const check = () => {
    window.fetch(url, { headers: { "X-Inclusie-Background": "1" }, credentials: "same-origin" })
      .then(learn)
      .catch(guess);
  };
  button.addEventListener("click", () => {
    const headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
    window.fetch(url, { method: "POST", headers, credentials: "same-origin" }).then(learn).catch(guess);
  });
  later(deadline - warnFor - Date.now(), check);
}
