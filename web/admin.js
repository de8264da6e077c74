// Users and their roles and hotels (admins): #/users lists them (GET /v1/users, by cursor),
// filters by role, hotel and email, creates users (POST /v1/users) and changes a user's role,
// hotels and status (PATCH /v1/users/{id}). Loaded when the screen is first opened.
import { api, el, myHotels, needSession, problemBox, session, showFor } from './app.js';
import { Fields, cancelButton, openDialog, select, useStyles } from './forms.js';

const roles = [['guest', 'Guest'], ['staff', 'Staff'], ['manager', 'Manager'], ['admin', 'Admin']];
const roleWord = Object.fromEntries(roles);

// Check boxes for the hotels, those in `chosen` ticked.
function hotelBoxes(hotels, chosen) {
  return hotels.map((h) => el('label', { class: 'inline' },
    el('input', { type: 'checkbox', value: h.id, checked: chosen.includes(h.id) }), h.name));
}

function ticked(group) {
  return [...group.querySelectorAll('input[type=checkbox]:checked')].map((b) => b.value);
}

function newUserForm(hotels, done) {
  const fields = new Fields();
  const box = el('div');
  const email = el('input', { type: 'email', autocomplete: 'off', required: true });
  const name = el('input', { autocomplete: 'off', required: true });
  const password = el('input', { type: 'password', autocomplete: 'new-password', required: true });
  const role = select(roles, 'staff');
  const hotelGroup = fields.group('hotel_ids', 'Works at', ...hotelBoxes(hotels, []));
  const form = el('form', { class: 'stack', 'aria-label': 'New user' },
    el('h2', { text: 'New user' }),
    fields.field('email', 'Email', email),
    fields.field('name', 'Name', name),
    fields.field('password', 'Password (10 characters or more)', password),
    fields.field('role', 'Role', role),
    hotelGroup,
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Create user' })),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fields.clear(box);
    try {
      const user = await api('/v1/users', { method: 'POST', json: {
        email: email.value, name: name.value, password: password.value, role: role.value,
        hotel_ids: ticked(hotelGroup) } });
      form.reset();
      done(user);
    } catch (err) {
      fields.show(err, box);
    }
  });
  return form;
}

// The dialog that changes a user's role, hotels and status.
function editUser(user, hotels, done) {
  const fields = new Fields();
  const box = el('div');
  const role = select(roles, user.role);
  const hotelGroup = fields.group('hotel_ids', 'Works at', ...hotelBoxes(hotels, user.hotel_ids));
  const disabled = el('input', { type: 'checkbox', checked: user.disabled });
  const disabledMessage = fields.message('disabled');
  const form = el('form', { class: 'stack' },
    fields.field('role', 'Role', role),
    hotelGroup,
    el('label', { class: 'inline' }, disabled, 'Disabled (cannot sign in)'),
    disabledMessage,
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Save' }),
      cancelButton()),
    box);
  disabled.setAttribute('aria-describedby', disabledMessage.id);
  const dialog = openDialog(`Change ${user.email}`, form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    fields.clear(box);
    try {
      const changes = { role: role.value, disabled: disabled.checked };
      // Only staff and managers work for hotels; for the others the list is cleared.
      changes.hotel_ids = ['staff', 'manager'].includes(role.value) ? ticked(hotelGroup) : [];
      const updated = await api(`/v1/users/${encodeURIComponent(user.id)}`,
        { method: 'PATCH', json: changes });
      dialog.close();
      done(updated);
    } catch (err) {
      fields.show(err, box);
    }
  });
}

function filterForm(params, hotels) {
  const role = select([['', 'Any role'], ...roles], params.get('role') || '');
  const hotel = select([['', 'Any hotel'], ...hotels.map((h) => [h.id, h.name])],
    params.get('hotel_id') || '');
  const email = el('input', { type: 'search', value: params.get('email') || '' });
  const fields = new Fields();
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter users' },
    fields.field('role', 'Role', role), fields.field('hotel_id', 'Hotel', hotel),
    fields.field('email', 'Email starts with', email),
    el('button', { type: 'submit', text: 'Filter' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (role.value) q.set('role', role.value);
    if (hotel.value) q.set('hotel_id', hotel.value);
    if (email.value.trim()) q.set('email', email.value.trim());
    location.hash = `#/users?${q}`;
  });
  return form;
}

export async function usersScreen(params) {
  const show = showFor();
  if (needSession()) return;
  if (session.user.role !== 'admin') {
    show(el('h1', { text: 'Users' }),
      el('p', { class: 'problem', role: 'alert', text: 'Users are managed by admins.' }));
    return;
  }
  useStyles();
  show(el('p', { class: 'muted', text: 'Loading…' }));
  try {
    const hotels = await myHotels();
    const hotelName = new Map(hotels.map((h) => [h.id, h.name]));
    const body = el('tbody');
    const more = el('button', { type: 'button', class: 'secondary', text: 'More users' });
    const message = el('p', { class: 'muted', role: 'status' });
    const reload = (text) => usersScreen(params).then(() => {
      const status = document.querySelector('.users-status');
      if (status) status.textContent = text;
    });

    const row = (u) => el('tr', { 'data-user': u.id },
      el('td', { text: u.email }), el('td', { text: u.name }),
      el('td', { text: roleWord[u.role] || u.role }),
      el('td', { text: (u.hotel_ids || []).map((id) => hotelName.get(id) || id).join(', ') }),
      el('td', { text: u.disabled ? 'Disabled' : 'Active' }),
      el('td', {}, el('button', { type: 'button', class: 'secondary', text: 'Change',
        'aria-label': `Change ${u.email}`,
        onclick: () => editUser(u, hotels, (changed) => reload(`Saved ${changed.email}.`)) })));

    const query = new URLSearchParams();
    for (const key of ['role', 'hotel_id', 'email']) {
      if (params.get(key)) query.set(key, params.get(key));
    }
    query.set('limit', '50');
    const load = async (after) => {
      const q = new URLSearchParams(query);
      if (after) q.set('after', after);
      const page = await api(`/v1/users?${q}`);
      body.append(...page.items.map(row));
      more.hidden = !page.has_more;
      more.onclick = () => load(page.next_cursor).catch((err) => message.replaceChildren(
        problemBox(err)));
      if (!after && page.items.length === 0) message.textContent = 'No user matches.';
    };
    await load(null);
    show(el('h1', { text: 'Users' }),
      el('p', { class: 'users-status', role: 'status' }),
      filterForm(params, hotels),
      el('div', { class: 'table-wrap' },
        el('table', { class: 'users' },
          el('thead', {}, el('tr', {}, ...['Email', 'Name', 'Role', 'Hotels', 'Status', 'Actions']
            .map((t) => el('th', { scope: 'col', text: t })))),
          body)),
      message, more,
      newUserForm(hotels, (user) => reload(`Created ${user.email}.`)));
  } catch (err) {
    show(el('h1', { text: 'Users' }), problemBox(err));
  }
}
