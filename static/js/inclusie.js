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
});
