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
});
