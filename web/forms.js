// What the management screens (admin.js, catalogue.js) share: forms whose fields show the
// server's messages beside them (problem+json errors[]), a modal dialog that Escape closes, and
// their stylesheet. Loaded with those screens only, never on the first page load.
import { el, problemBox } from './app.js';

let styled = false;
// The screens' own styles, added once (a file of the app's origin, as the policy requires).
export function useStyles() {
  if (styled) return;
  styled = true;
  // Beside this module, so under the same release path (cached for good, like the module).
  document.head.append(el('link', { rel: 'stylesheet',
    href: new URL('./manage.css', import.meta.url).pathname }));
}

let forms = 0;

// One form's fields by the names the API gives them, each with its message element; the
// ids are unique on the page, so two forms may both have a "code".
export class Fields {
  constructor() {
    forms += 1;
    this.prefix = `f${forms}`;
    this.errors = {};
  }

  message(name) {
    const id = `${this.prefix}-${name}-error`;
    this.errors[name] = el('span', { class: 'field-error', id });
    return this.errors[name];
  }

  // A labelled control; `name` is the field as the API names it. The label stands beside the
  // control (not around it): a select inside its label would take its option into its name.
  field(name, label, input) {
    const message = this.message(name);
    input.id = `${this.prefix}-${name}`;
    input.setAttribute('aria-describedby', message.id);
    input.setAttribute('name', name);
    return el('div', { class: 'field' }, el('label', { for: input.id, text: label }), input,
      message);
  }

  // A group of check boxes (or other controls) that is one field of the API.
  group(name, legend, ...controls) {
    const message = this.message(name);
    return el('fieldset', { class: 'choices', 'aria-describedby': message.id },
      el('legend', { text: legend }), ...controls, message);
  }

  clear(box) {
    for (const e of Object.values(this.errors)) e.textContent = '';
    if (box) box.replaceChildren();
  }

  // The server's answer: each field error beside its field (a nested one, "a.b" or "a[0]",
  // beside "a"), the rest and the detail in `box`.
  show(err, box, extra = []) {
    this.clear();
    const unplaced = [];
    for (const e of err.errors || []) {
      const field = e.field || '';
      const target = this.errors[field] || this.errors[field.split(/[.[]/)[0]];
      if (target) target.textContent = e.message;
      else unplaced.push(e.field ? `${e.field}: ${e.message}` : e.message);
    }
    box.replaceChildren(problemBox(err),
      ...unplaced.map((text) => el('p', { class: 'field-error', text })), ...extra);
  }
}

// A modal dialog holding `content`; Escape or its Cancel closes it (and it leaves the page).
// Focus returns to what opened it.
export function openDialog(title, ...content) {
  const opener = document.activeElement;
  const dialog = el('dialog', { class: 'dialog', 'aria-label': title },
    el('h2', { text: title }), ...content);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

// A Cancel button that closes the dialog it is in.
export function cancelButton() {
  return el('button', { type: 'button', class: 'secondary', text: 'Cancel',
    onclick: (e) => e.target.closest('dialog').close() });
}

// A select of `options` ([value, text] pairs) with `current` selected.
export function select(options, current) {
  return el('select', {}, ...options.map(([value, text]) =>
    el('option', { value, selected: value === current, text })));
}

// The stays a 409 `in_use` names, in words.
export function staysInWords(err) {
  const stays = (err.body && err.body.stays) || [];
  if (stays.length === 0) return [];
  return [el('p', { text: 'Stays that hold it (move or cancel them first):' }),
    el('ul', { class: 'stays' }, ...stays.map((s) => el('li', {},
      el('a', { href: `#/bookings/${s.booking_id}`, text: `${s.check_in} to ${s.check_out}` }))))];
}
