// A hotel's catalogue (its managers and admins), #/catalogue?hotel=<id>: the hotel's details
// (PATCH /v1/hotels/{id}), and its room types, rooms and rate plans, each created (POST),
// changed (PATCH) and retired (DELETE, with the stays or plans that hold it when the server
// says 409). Loaded when the screen is first opened.
import { api, el, everyPage, hotelPicker, needSession, problemBox, session, showFor,
  staffHotel } from './app.js';
import { Fields, cancelButton, openDialog, select, staysInWords, useStyles } from './forms.js';

const mayManage = () => ['manager', 'admin'].includes(session.user.role);

// Text inputs' values as the API wants them: '' is "not given"; numbers as numbers.
function number(input) {
  return input.value.trim() === '' ? undefined : Number(input.value);
}

// A form that sends `body()` with `method` to `path`, showing the server's problems beside its
// fields; `done` runs after a 2xx.
function apiForm(fields, { inDialog = false, ...attrs }, controls,
  { method, path, body, done, submit }) {
  const box = el('div');
  const form = el('form', { class: 'stack', ...attrs }, ...controls,
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: submit }),
      inDialog ? cancelButton() : null),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fields.clear(box);
    try {
      const result = await api(path(), { method, json: body() });
      await done(result, form);
    } catch (err) {
      fields.show(err, box, staysInWords(err));
    }
  });
  return form;
}

// Asks before retiring; a refusal (409 with its reasons) is shown in the dialog.
function retire(what, path, done) {
  const box = el('div');
  const yes = el('button', { type: 'button', text: `Retire ${what}` });
  const dialog = openDialog(`Retire ${what}?`,
    el('p', { text: 'It is no longer sold or listed; bookings that name it keep it.' }),
    el('div', { class: 'actions' }, yes, cancelButton()), box);
  yes.addEventListener('click', async () => {
    try {
      await api(path, { method: 'DELETE' });
      dialog.close();
      await done();
    } catch (err) {
      box.replaceChildren(problemBox(err), ...staysInWords(err));
    }
  });
}

function hotelForm(hotel, reload) {
  const fields = new Fields();
  const inputs = {};
  const controls = [
    ['name', 'Name'], ['city', 'City'], ['country', 'Country (ISO code)'],
    ['timezone', 'Time zone (IANA)'], ['currency', 'Currency (ISO 4217)'],
    ['check_in_time', 'Check-in from (HH:MM)'], ['check_out_time', 'Check-out until (HH:MM)'],
  ].map(([name, label]) => {
    inputs[name] = el('input', { value: hotel[name] || '' });
    return fields.field(name, label, inputs[name]);
  });
  return apiForm(fields, { 'aria-label': 'Hotel details', class: 'stack wide' },
    [el('h2', { text: 'Hotel details' }), ...controls], {
      method: 'PATCH',
      path: () => `/v1/hotels/${hotel.id}`,
      // Only what changed: an unchanged currency is not a change of currency.
      body: () => Object.fromEntries(Object.entries(inputs)
        .filter(([name, input]) => input.value !== (hotel[name] || ''))
        .map(([name, input]) => [name, input.value])),
      submit: 'Save hotel',
      done: () => reload('Hotel saved.'),
    });
}

function roomTypeControls(fields, type = {}) {
  const inputs = {
    code: el('input', { value: type.code || '' }),
    name: el('input', { value: type.name || '' }),
    max_occupancy: el('input', { type: 'number', min: 1, value: type.max_occupancy || '' }),
    description: el('input', { value: type.description || '' }),
  };
  const controls = [
    fields.field('code', 'Code', inputs.code), fields.field('name', 'Name', inputs.name),
    fields.field('max_occupancy', 'Max guests', inputs.max_occupancy),
    fields.field('description', 'Description', inputs.description),
  ];
  const body = () => ({ code: inputs.code.value, name: inputs.name.value,
    max_occupancy: number(inputs.max_occupancy),
    description: inputs.description.value || undefined });
  return { controls, body };
}

function roomControls(fields, types, room = {}) {
  const inputs = {
    number: el('input', { value: room.number || '' }),
    room_type_id: select(types.map((t) => [t.id, `${t.name} (${t.code})`]), room.room_type_id),
    floor: el('input', { type: 'number', value: room.floor ?? '' }),
  };
  const controls = [
    fields.field('number', 'Room number', inputs.number),
    fields.field('room_type_id', 'Room type', inputs.room_type_id),
    fields.field('floor', 'Floor', inputs.floor),
  ];
  const body = () => ({ number: inputs.number.value, room_type_id: inputs.room_type_id.value,
    floor: number(inputs.floor) });
  return { controls, body };
}

function planControls(fields, plan = {}) {
  const inputs = {
    code: el('input', { value: plan.code || '' }),
    name: el('input', { value: plan.name || '' }),
    refundable: el('input', { type: 'checkbox', checked: plan.refundable ?? true }),
    free_cancellation_hours: el('input', { type: 'number', min: 0,
      value: plan.free_cancellation_hours ?? '' }),
    penalty: el('input', { value: plan.refundable === false ? '' : plan.penalty || '' }),
    included_guests: el('input', { type: 'number', min: 1, value: plan.included_guests ?? '' }),
  };
  const refundableMessage = fields.message('refundable');
  inputs.refundable.setAttribute('aria-describedby', refundableMessage.id);
  const controls = [
    fields.field('code', 'Code', inputs.code), fields.field('name', 'Name', inputs.name),
    el('label', { class: 'inline' }, inputs.refundable, 'Refundable'), refundableMessage,
    fields.field('free_cancellation_hours', 'Free cancellation until (hours before arrival)',
      inputs.free_cancellation_hours),
    fields.field('penalty', 'Fee after that (first_night, full_stay or percent:P)',
      inputs.penalty),
    fields.field('included_guests', 'Guests the price is for', inputs.included_guests),
  ];
  const body = () => {
    const b = { code: inputs.code.value, name: inputs.name.value,
      refundable: inputs.refundable.checked };
    const hours = number(inputs.free_cancellation_hours);
    if (b.refundable && hours !== undefined) b.free_cancellation_hours = hours;
    if (b.refundable && inputs.penalty.value.trim()) b.penalty = inputs.penalty.value.trim();
    const guests = number(inputs.included_guests);
    if (guests !== undefined) b.included_guests = guests;
    return b;
  };
  return { controls, body };
}

// A section: a table of the items, each with Change and Retire, and a form to add one.
function section({ title, items, columns, label, edit, add, retirePath, reload }) {
  const rows = items.map((item) => el('tr', { 'data-id': item.id },
    ...columns.map(([, value]) => el('td', { text: value(item) })),
    el('td', { class: 'row-actions' },
      el('button', { type: 'button', class: 'secondary', text: 'Change',
        'aria-label': `Change ${label(item)}`, onclick: () => edit(item) }),
      el('button', { type: 'button', class: 'secondary', text: 'Retire',
        'aria-label': `Retire ${label(item)}`,
        onclick: () => retire(label(item), retirePath(item),
          () => reload(`Retired ${label(item)}.`)) }))));
  return el('section', { class: 'card', 'aria-label': title },
    el('h2', { text: title }),
    items.length === 0 ? el('p', { class: 'muted', text: 'None yet.' })
      : el('div', { class: 'table-wrap' }, el('table', { class: 'catalogue' },
        el('thead', {}, el('tr', {}, ...columns.map(([head]) => el('th', { scope: 'col',
          text: head })), el('th', { scope: 'col', text: 'Actions' }))),
        el('tbody', {}, ...rows))),
    add);
}

export async function catalogueScreen(params) {
  const show = showFor();
  if (needSession()) return;
  if (!mayManage()) {
    show(el('h1', { text: 'Catalogue' }), el('p', { class: 'problem', role: 'alert',
      text: 'The catalogue is for the hotel\'s managers.' }));
    return;
  }
  useStyles();
  show(el('p', { class: 'muted', text: 'Loading…' }));
  try {
    const picked = await staffHotel(params);
    if (!picked) return;
    const { hotels } = picked;
    const base = `/v1/hotels/${picked.hotel.id}`;
    const [hotel, types, rooms, plans] = await Promise.all([api(base),
      everyPage(`${base}/room-types`), everyPage(`${base}/rooms`),
      everyPage(`${base}/rate-plans`)]);
    const typeName = new Map(types.map((t) => [t.id, t.name]));
    const reload = (text) => catalogueScreen(params).then(() => {
      const status = document.querySelector('.catalogue-status');
      if (status) status.textContent = text;
    });

    // Each kind: its add form and its change dialog share their controls.
    const addForm = (heading, controlsOf, path, what) => {
      const fields = new Fields();
      const { controls, body } = controlsOf(fields);
      return apiForm(fields, { 'aria-label': heading }, [el('h3', { text: heading }), ...controls],
        { method: 'POST', path: () => path, body, submit: heading,
          done: (created) => reload(`Added ${what(created)}.`) });
    };
    const changeDialog = (title, controlsOf, path, what) => {
      const fields = new Fields();
      const { controls, body } = controlsOf(fields);
      let dialog;
      const form = apiForm(fields, { inDialog: true }, controls, {
        method: 'PATCH', path: () => path, body, submit: 'Save',
        done: (changed) => { dialog.close(); return reload(`Saved ${what(changed)}.`); } });
      dialog = openDialog(title, form);
    };

    const typeWhat = (t) => `room type ${t.code}`;
    const roomWhat = (r) => `room ${r.number}`;
    const planWhat = (p) => `rate plan ${p.code}`;
    show(el('h1', { text: `Catalogue of ${hotel.name}` }),
      hotels.length > 1 ? el('p', {}, hotelPicker(hotels, hotel.id, '#/catalogue')) : null,
      el('p', { class: 'catalogue-status', role: 'status' }),
      hotelForm(hotel, reload),
      section({ title: 'Room types', items: types, label: typeWhat, reload,
        columns: [['Code', (t) => t.code], ['Name', (t) => t.name],
          ['Max guests', (t) => t.max_occupancy]],
        edit: (t) => changeDialog(`Change ${typeWhat(t)}`,
          (f) => roomTypeControls(f, t), `${base}/room-types/${t.id}`, typeWhat),
        retirePath: (t) => `${base}/room-types/${t.id}`,
        add: addForm('Add room type', (f) => roomTypeControls(f), `${base}/room-types`,
          typeWhat) }),
      section({ title: 'Rooms', items: rooms, label: roomWhat, reload,
        columns: [['Number', (r) => r.number], ['Type', (r) => typeName.get(r.room_type_id) || ''],
          ['Floor', (r) => r.floor ?? '']],
        edit: (r) => changeDialog(`Change ${roomWhat(r)}`, (f) => roomControls(f, types, r),
          `${base}/rooms/${r.id}`, roomWhat),
        retirePath: (r) => `${base}/rooms/${r.id}`,
        add: types.length ? addForm('Add room', (f) => roomControls(f, types), `${base}/rooms`,
          roomWhat) : el('p', { class: 'muted', text: 'Add a room type first.' }) }),
      section({ title: 'Rate plans', items: plans, label: planWhat, reload,
        columns: [['Code', (p) => p.code], ['Name', (p) => p.name],
          ['Refundable', (p) => (p.refundable ? 'Yes' : 'No')]],
        edit: (p) => changeDialog(`Change ${planWhat(p)}`, (f) => planControls(f, p),
          `${base}/rate-plans/${p.id}`, planWhat),
        retirePath: (p) => `${base}/rate-plans/${p.id}`,
        add: addForm('Add rate plan', (f) => planControls(f), `${base}/rate-plans`, planWhat) }));
  } catch (err) {
    show(el('h1', { text: 'Catalogue' }), problemBox(err));
  }
}
