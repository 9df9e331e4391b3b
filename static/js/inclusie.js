// Small behaviours that need no inline script (the Content-Security-Policy forbids inline code).
document.addEventListener("DOMContentLoaded", () => {
  // Submit the language form as soon as a language is chosen; the button stays for no-JS use.
  document.querySelectorAll(".language-switch select").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
  // A button that prints the page (the AVG document: print, or save as PDF).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // Confirm dangerous actions named in data-confirm before their form is sent.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
