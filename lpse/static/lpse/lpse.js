// LPSE's own behaviour, loaded from /static/ (Content-Security-Policy
// script-src 'self' forbids inline scripts and on* attributes).
//
// <form data-confirm="Yakin?">: asks before submitting.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) {
    return;
  }
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
