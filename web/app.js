// The web app (issue 14): plain ES module, no framework. Every screen calls the public /v1 API.
// Text from the server is only ever set as text (never as HTML).

const view = document.getElementById('view');

// --- small helpers ----------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function show(...nodes) {
  view.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined && n !== false));
  view.focus();
}

// A screen's own show (each async screen starts with `const show = showFor();`): it draws only
// while the address is still the screen's, so that a slow read never draws over the screen the
// user opened after it.
function showFor(opened = location.hash) {
  return (...nodes) => {
    if (location.hash === opened) show(...nodes);
  };
}

// Money as the hotel's currency shows it ({amount: "129.00", currency: "EUR"}).
export function money(m) {
  if (!m) return '';
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: m.currency })
      .format(Number(m.amount));
  } catch {
    return `${m.amount} ${m.currency}`;
  }
}

function isoDate(d) {
  return d.toISOString().slice(0, 10);
}

function addDays(iso, n) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDate(d);
}

// An instant in the hotel's zone, e.g. "Fri 12 Mar 2027, 15:00".
function inZone(instant, timeZone) {
  try {
    return new Intl.DateTimeFormat(undefined, {
      weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit', timeZone,
    }).format(new Date(instant));
  } catch {
    return instant;
  }
}

// A problem+json answer: its detail, and its field errors by field.
class Problem extends Error {
  constructor(status, body) {
    super((body && (body.detail || body.title)) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.errors = (body && body.errors) || [];
    this.body = body;
  }
}

// --- the session: the access token in memory only; the refresh token in an HttpOnly cookie
// that the server sets and this script never sees -------------------------------------------

const session = { access: null, user: null };

async function call(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  if (session.access) headers.Authorization = `Bearer ${session.access}`;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    options = { ...options, body: JSON.stringify(options.json) };
  }
  return fetch(path, { ...options, headers, credentials: 'same-origin' });
}

async function api(path, options = {}) {
  let res = await call(path, options);
  if (res.status === 401 && session.access && await refresh()) res = await call(path, options);
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Problem(res.status, body);
  return body;
}

// A refresh with no body: the server reads its cookie. False when there is no session.
async function refresh() {
  const res = await fetch('/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' });
  if (!res.ok) {
    session.access = null;
    session.user = null;
    return false;
  }
  const tokens = await res.json();
  session.access = tokens.access_token;
  const me = await call('/v1/me');
  session.user = me.ok ? await me.json() : null;
  return true;
}

async function signOut() {
  await fetch('/v1/auth/logout', { method: 'POST', credentials: 'same-origin' });
  session.access = null;
  session.user = null;
  renderNav();
  location.hash = '#/';
}

function renderNav() {
  const nav = document.getElementById('nav');
  if (!nav) return;
  if (session.user) {
    // The links this role has (a null would show as the text "null").
    nav.replaceChildren(...[
      el('span', { class: 'who', text: session.user.name }),
      session.user.role !== 'guest' ? el('a', { href: '#/desk', text: 'Front desk' }) : null,
      session.user.role !== 'guest' ? el('a', { href: '#/chart', text: 'Tape chart' }) : null,
      session.user.role !== 'guest'
        ? el('a', { href: '#/housekeeping', text: 'Housekeeping' }) : null,
      ['manager', 'admin'].includes(session.user.role)
        ? el('a', { href: '#/rates', text: 'Rates' }) : null,
      ['manager', 'admin'].includes(session.user.role)
        ? el('a', { href: '#/report', text: 'Report' }) : null,
      ['manager', 'admin'].includes(session.user.role)
        ? el('a', { href: '#/catalogue', text: 'Catalogue' }) : null,
      session.user.role === 'admin' ? el('a', { href: '#/users', text: 'Users' }) : null,
      el('a', { href: '#/bookings', text: 'My bookings' }),
      el('button', { type: 'button', class: 'link', onclick: signOut, text: 'Sign out' }),
    ].filter(Boolean));
  } else {
    nav.replaceChildren(el('a', { href: `#/login?next=${encodeURIComponent(location.hash)}`,
      text: 'Sign in' }));
  }
}

// Every item of a paged list (100 a page).
async function everyPage(path) {
  const items = [];
  for (let page = 1; page <= 50; page += 1) {
    const got = await api(`${path}?per_page=100&page=${page}`);
    items.push(...got.items);
    if (items.length >= got.total || got.items.length === 0) break;
  }
  return items;
}

function problemBox(err) {
  return el('p', { class: 'problem', role: 'alert', text: err.message });
}

// --- cancellation terms in plain words --------------------------------------------------------

export function termsInWords(cancellation, timeZone) {
  const penalty = cancellation.penalty || 'full_stay';
  let after = 'the whole stay is charged';
  if (penalty === 'first_night') after = 'the first night is charged';
  else if (penalty.startsWith('percent:')) after = `${penalty.slice(8)}% of the stay is charged`;
  if (!cancellation.free_until) return `Non-refundable: if you cancel, ${after}.`;
  const until = inZone(cancellation.free_until, timeZone);
  if (new Date(cancellation.free_until) <= new Date()) {
    return `Free cancellation ended ${until} (hotel time); if you cancel now, ${after}.`;
  }
  return `Free cancellation until ${until} (hotel time); after that, ${after}.`;
}

// --- screens ----------------------------------------------------------------------------------

function readQuery() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  return { path, params: new URLSearchParams(query) };
}

function searchForm(params) {
  const today = isoDate(new Date());
  const checkIn = params.get('check_in') || addDays(today, 14);
  const checkOut = params.get('check_out') || addDays(checkIn, 2);
  const errors = {};
  const field = (name, label, input) => {
    errors[name] = el('span', { class: 'field-error', id: `${name}-error` });
    input.setAttribute('aria-describedby', `${name}-error`);
    return el('label', {}, label, input, errors[name]);
  };
  const form = el('form', { class: 'search', role: 'search', 'aria-label': 'Find a hotel' },
    field('city', 'City', el('input', {
      name: 'city', required: true, autocomplete: 'off', value: params.get('city') || '',
      placeholder: 'Lisbon',
    })),
    field('check_in', 'Check-in', el('input', { name: 'check_in', type: 'date', required: true,
      value: checkIn })),
    field('check_out', 'Check-out', el('input', { name: 'check_out', type: 'date',
      required: true, value: checkOut })),
    field('guests', 'Guests', el('input', { name: 'guests', type: 'number', min: 1, max: 50,
      value: params.get('guests') || 2 })),
    el('button', { type: 'submit', text: 'Search' }));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const q = new URLSearchParams();
    for (const k of ['city', 'check_in', 'check_out', 'guests']) q.set(k, String(data.get(k)));
    location.hash = `#/search?${q}`;
  });
  return { form, errors };
}

async function searchScreen(params) {
  const show = showFor();
  const { form, errors } = searchForm(params);
  const results = el('section', { 'aria-label': 'Hotels' });
  show(el('h1', { text: 'Find a room' }), form, results);
  if (!params.get('city')) return;
  results.replaceChildren(el('p', { class: 'muted', text: 'Searching…' }));
  const q = new URLSearchParams({
    city: params.get('city'), check_in: params.get('check_in'),
    check_out: params.get('check_out'), guests: params.get('guests') || '2', per_page: '50',
  });
  try {
    const found = await api(`/v1/hotels?${q}`);
    if (found.items.length === 0) {
      results.replaceChildren(el('p', { text: `No hotel in ${params.get('city')} has a room ` +
        'for these dates.' }));
      return;
    }
    const list = el('ul', { class: 'results' });
    for (const h of found.items) {
      const offers = new URLSearchParams({ check_in: q.get('check_in'),
        check_out: q.get('check_out'), guests: q.get('guests') });
      list.append(el('li', { class: 'card hotel' },
        el('h2', {}, el('a', { href: `#/hotel/${h.id}?${offers}`, text: h.name })),
        el('p', { class: 'muted', text: `${h.city}, ${h.country}` }),
        h.from_price ? el('p', {}, 'From ', el('span', { class: 'price', text:
          money(h.from_price) }), ' for the stay') : null));
    }
    results.replaceChildren(el('p', { class: 'muted', text: `${found.total} hotel(s)` }), list);
  } catch (err) {
    for (const e of err.errors || []) if (errors[e.field]) errors[e.field].textContent = e.message;
    results.replaceChildren(problemBox(err));
  }
}

async function hotelScreen(id, params) {
  const show = showFor();
  show(el('p', { class: 'muted', text: 'Loading…' }));
  try {
    const hotel = await api(`/v1/hotels/${encodeURIComponent(id)}`);
    const q = new URLSearchParams({ check_in: params.get('check_in'),
      check_out: params.get('check_out'), guests: params.get('guests') || '1' });
    const offers = await api(`/v1/hotels/${encodeURIComponent(id)}/rooms?${q}`);
    const back = new URLSearchParams({ city: hotel.city, ...Object.fromEntries(q) });
    const sections = offers.items.map((t) => el('section', { class: 'card room-type' },
      el('h2', { text: t.room_type.name }),
      el('p', { class: 'muted', text: `Sleeps ${t.room_type.max_occupancy} · ` +
        `${t.available} left` }),
      ...t.offers.map((o) => el('div', { class: 'offer' },
        el('div', {},
          el('strong', { text: o.rate_plan.name }),
          o.rate_plan.inclusions && o.rate_plan.inclusions.length
            ? el('div', { class: 'muted', text: `Includes ${o.rate_plan.inclusions
              .map((i) => i.name).join(', ')}` }) : null,
          el('div', { class: `terms${o.cancellation.free_until ? ' free' : ''}`,
            text: termsInWords(o.cancellation, hotel.timezone) }),
          el('div', { class: 'nightly', text: o.nightly
            .map((n) => `${n.date}: ${money(n.amount)}`).join(' · ') })),
        el('div', { class: 'buy' },
          el('div', { class: 'price', text: money(o.total) }),
          el('a', { class: 'button', href: `#/book?${new URLSearchParams({ hotel: id,
            type: t.room_type.id, plan: o.rate_plan.id, ...Object.fromEntries(q) })}`,
            'aria-label': `Book ${t.room_type.name}, ${o.rate_plan.name}`, text: 'Book' }))))));
    show(
      el('p', {}, el('a', { href: `#/search?${back}`, text: '← Back to the search' })),
      el('h1', { text: hotel.name }),
      el('p', { class: 'muted', text: `${hotel.city}, ${hotel.country} · ${q.get('check_in')} → ` +
        `${q.get('check_out')} · ${q.get('guests')} guest(s)` }),
      ...(sections.length ? sections
        : [el('p', { text: 'No room is free for these dates and guests.' })]));
  } catch (err) {
    show(problemBox(err));
  }
}

// A form's fields with the server's messages next to them (problem+json errors[]).
function formField(errors, name, label, input) {
  errors[name] = el('span', { class: 'field-error', id: `${name}-error` });
  input.setAttribute('aria-describedby', `${name}-error`);
  input.setAttribute('name', name);
  return el('label', {}, label, input, errors[name]);
}

function showProblem(err, errors, box) {
  for (const e of Object.values(errors)) e.textContent = '';
  for (const e of err.errors || []) if (errors[e.field]) errors[e.field].textContent = e.message;
  box.replaceChildren(problemBox(err));
}

function loginScreen(params) {
  const next = params.get('next') || '#/';
  const errors = {};
  const box = el('div');
  const email = el('input', { type: 'email', autocomplete: 'username', required: true });
  const password = el('input', { type: 'password', autocomplete: 'current-password',
    required: true });
  const name = el('input', { autocomplete: 'name' });
  const nameField = formField(errors, 'name', 'Your name (new account)', name);
  const form = el('form', { class: 'stack', 'aria-label': 'Sign in' },
    formField(errors, 'email', 'Email', email),
    formField(errors, 'password', 'Password', password),
    nameField,
    el('div', { class: 'actions' },
      el('button', { type: 'submit', name: 'action', value: 'login', text: 'Sign in' }),
      el('button', { type: 'submit', name: 'action', value: 'register', class: 'secondary',
        text: 'Create an account' })),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      if (e.submitter && e.submitter.value === 'register') {
        await api('/v1/auth/register', { method: 'POST',
          json: { email: email.value, password: password.value, name: name.value } });
      }
      const tokens = await api('/v1/auth/login', { method: 'POST',
        json: { email: email.value, password: password.value } });
      session.access = tokens.access_token;
      session.user = await api('/v1/me');
      renderNav();
      location.hash = next;
    } catch (err) {
      showProblem(err, errors, box);
    }
  });
  show(el('h1', { text: 'Sign in' }), form);
}

function needSession() {
  if (session.user) return false;
  location.hash = `#/login?next=${encodeURIComponent(location.hash)}`;
  return true;
}

async function bookScreen(params) {
  const show = showFor();
  if (needSession()) return;
  show(el('p', { class: 'muted', text: 'Loading…' }));
  const hotelId = params.get('hotel');
  const stay = { check_in: params.get('check_in'), check_out: params.get('check_out'),
    guests: params.get('guests') || '1' };
  try {
    const hotel = await api(`/v1/hotels/${encodeURIComponent(hotelId)}`);
    const offers = await api(`/v1/hotels/${encodeURIComponent(hotelId)}/rooms?` +
      new URLSearchParams(stay));
    const type = offers.items.find((t) => t.room_type.id === params.get('type'));
    const offer = type && type.offers.find((o) => o.rate_plan.id === params.get('plan'));
    if (!offer) {
      show(el('p', { class: 'problem', role: 'alert',
        text: 'This offer is no longer available for these dates.' }));
      return;
    }
    const errors = {};
    const box = el('div');
    const guestName = el('input', { autocomplete: 'name', value: session.user.name || '' });
    const requests = el('textarea', { rows: 3 });
    const key = crypto.randomUUID();  // one booking, however often the button is pressed
    const form = el('form', { class: 'stack', 'aria-label': 'Confirm the booking' },
      formField(errors, 'guest_name', 'Guest name', guestName),
      formField(errors, 'special_requests', 'Special requests (optional)', requests),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Confirm booking' })),
      box);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { hotel_id: hotelId, room_type_id: type.room_type.id,
        rate_plan_id: offer.rate_plan.id, check_in: stay.check_in, check_out: stay.check_out,
        guests: Number(stay.guests), expected_total: offer.total };
      if (guestName.value) body.guest_name = guestName.value;
      if (requests.value) body.special_requests = requests.value;
      try {
        const booking = await api('/v1/bookings', { method: 'POST', json: body,
          headers: { 'Idempotency-Key': key } });
        location.hash = `#/bookings/${booking.id}`;
      } catch (err) {
        showProblem(err, errors, box);
      }
    });
    show(el('h1', { text: 'Confirm your booking' }),
      el('section', { class: 'card' },
        el('h2', { text: `${hotel.name}: ${type.room_type.name}, ${offer.rate_plan.name}` }),
        el('p', { text: `${stay.check_in} → ${stay.check_out} · ${stay.guests} guest(s)` }),
        el('p', { class: 'terms', text: termsInWords(offer.cancellation, hotel.timezone) }),
        el('p', {}, 'Total ', el('span', { class: 'price', text: money(offer.total) }))),
      form);
  } catch (err) {
    show(problemBox(err));
  }
}

const statusWords = { confirmed: 'Confirmed', checked_in: 'In the house',
  checked_out: 'Checked out', cancelled: 'Cancelled', no_show: 'No-show' };

async function bookingsScreen() {
  const show = showFor();
  if (needSession()) return;
  try {
    const page = await api('/v1/bookings?per_page=100');
    const list = el('ul', { class: 'results' });
    for (const b of page.items) {
      list.append(el('li', { class: 'card booking' },
        el('a', { href: `#/bookings/${b.id}`, text: `${b.check_in} → ${b.check_out}` }),
        el('span', { class: 'muted', text: ` · ${statusWords[b.status] || b.status} · ` }),
        el('span', { class: 'price', text: money(b.total) })));
    }
    show(el('h1', { text: 'My bookings' }),
      page.items.length ? list : el('p', { text: 'No bookings yet.' }));
  } catch (err) {
    show(problemBox(err));
  }
}

async function bookingScreen(id) {
  const show = showFor();
  if (needSession()) return;
  try {
    const b = await api(`/v1/bookings/${encodeURIComponent(id)}`);
    const hotel = await api(`/v1/hotels/${encodeURIComponent(b.hotel_id)}`);
    const box = el('div', { class: 'cancel-box' });
    const parts = [
      el('h1', { text: hotel.name }),
      el('section', { class: 'card' },
        el('p', {}, el('strong', { class: 'status', text: statusWords[b.status] || b.status })),
        el('p', { text: `${b.check_in} → ${b.check_out} · ${b.guests} guest(s)` }),
        el('p', {}, 'Total ', el('span', { class: 'price', text: money(b.total) })),
        b.status === 'confirmed'
          ? el('p', { class: 'terms', text: termsInWords(b.cancellation, hotel.timezone) }) : null,
        b.cancellation_fee ? el('p', { class: 'fee', text: `Cancellation fee charged: ` +
          `${money(b.cancellation_fee)}` }) : null),
    ];
    // The folio: what the current invoice charges, what was paid, what is due.
    const folio = await api(`/v1/bookings/${encodeURIComponent(id)}/folio`);
    parts.push(el('section', { class: 'card folio', 'aria-label': 'Folio' },
      el('h2', { text: 'Folio' }),
      el('table', {},
        el('tbody', {}, ...folio.lines.map((l) => el('tr', {},
          el('td', { text: l.description }),
          el('td', { class: 'amount', text: money(l.amount) }))))),
      el('p', { class: 'muted', text: `Invoiced ${money(folio.invoiced)} · paid ` +
        `${money(folio.paid)}` }),
      el('p', {}, 'Balance due ', el('strong', { class: 'balance', text:
        money(folio.balance_due) }))));
    // Staff move a stay from here too: the keyboard's way to do what a drag does on the chart.
    if (isStaff() && ['confirmed', 'checked_in'].includes(b.status) && b.room) {
      const rooms = await everyPage(`/v1/hotels/${encodeURIComponent(b.hotel_id)}/rooms`);
      const select = el('select', { 'aria-label': 'Move to room' }, ...rooms.map((r) =>
        el('option', { value: r.id, selected: r.id === b.room.id, text: `Room ${r.number}` })));
      const said = el('p', { class: 'move-message', role: 'status' });
      const form = el('form', { class: 'actions', 'aria-label': 'Move the stay' },
        el('label', { class: 'inline' }, 'Room ', select),
        el('button', { type: 'submit', text: 'Move' }), said);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (select.value === b.room.id) return;
        try {
          const moved = await api(`/v1/bookings/${encodeURIComponent(id)}/move`, {
            method: 'POST', json: { room_id: select.value },
            headers: { 'If-Match': `"${b.version}"` } });
          await bookingScreen(id);
          document.querySelector('.move-message').textContent =
            `Moved to room ${moved.room.number}.`;
        } catch (err) {
          said.textContent = `Not moved: ${err.message}`;
          said.classList.add('bad');
        }
      });
      parts.push(el('section', { class: 'card' }, el('h2', { text: `Room ${b.room.number}` }),
        form));
    }
    if (b.status === 'confirmed') {
      // New dates: the new price first (the hotel's offer for them), then the change.
      const errors = {};
      const changeBox = el('div');
      const newIn = el('input', { type: 'date', value: b.check_in });
      const newOut = el('input', { type: 'date', value: b.check_out });
      const change = el('form', { class: 'stack', 'aria-label': 'Change the dates' },
        el('h2', { text: 'Change the dates' }),
        el('div', { class: 'actions' }, formField(errors, 'check_in', 'New check-in', newIn),
          formField(errors, 'check_out', 'New check-out', newOut)),
        el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'secondary',
          text: 'See the new price' })),
        changeBox);
      change.addEventListener('submit', async (e) => {
        e.preventDefault();
        try {
          const offers = await api(`/v1/hotels/${encodeURIComponent(b.hotel_id)}/rooms?` +
            new URLSearchParams({ check_in: newIn.value, check_out: newOut.value,
              guests: String(b.guests) }));
          const type = offers.items.find((t) => t.room_type.id === b.room_type_id);
          const offer = type && type.offers.find((o) => o.rate_plan.id === b.rate_plan_id);
          const yes = el('button', { type: 'button', text: 'Confirm the change' });
          yes.addEventListener('click', async () => {
            try {
              await api(`/v1/bookings/${encodeURIComponent(id)}`, { method: 'PUT',
                json: { check_in: newIn.value, check_out: newOut.value },
                headers: { 'If-Match': `"${b.version}"` } });
              route();
            } catch (err) {
              showProblem(err, errors, changeBox);
            }
          });
          changeBox.replaceChildren(el('p', { class: 'new-price', role: 'status',
            text: offer ? `The new dates cost ${money(offer.total)} (now ${money(b.total)}).`
              : 'These dates are not offered now; the hotel may still fit them.' }), yes);
        } catch (err) {
          showProblem(err, errors, changeBox);
        }
      });
      parts.push(el('section', { class: 'card' }, change));
      const ask = el('button', { type: 'button', class: 'secondary', text: 'Cancel booking' });
      ask.addEventListener('click', async () => {
        try {
          // The fee now, as the server computes it, before the guest confirms.
          const fresh = await api(`/v1/bookings/${encodeURIComponent(id)}`);
          const fee = fresh.cancellation.fee_now;
          const yes = el('button', { type: 'button', text: 'Yes, cancel' });
          const no = el('button', { type: 'button', class: 'secondary', text: 'Keep it' });
          no.addEventListener('click', () => box.replaceChildren(ask));
          yes.addEventListener('click', async () => {
            try {
              await api(`/v1/bookings/${encodeURIComponent(id)}`, { method: 'DELETE',
                headers: { 'If-Match': `"${fresh.version}"` } });
              route();
            } catch (err) {
              box.replaceChildren(problemBox(err));
            }
          });
          box.replaceChildren(el('p', { class: 'confirm-fee', role: 'alert',
            text: fee && Number(fee.amount) > 0
              ? `Cancelling now costs ${money(fee)}.` : 'Cancelling now is free.' }),
          el('div', { class: 'actions' }, yes, no));
          yes.focus();
        } catch (err) {
          box.replaceChildren(problemBox(err));
        }
      });
      box.append(ask);
      parts.push(box);
    }
    show(...parts);
  } catch (err) {
    show(problemBox(err));
  }
}

// --- the front desk (staff, managers, admins of the hotel) ------------------------------------

const isStaff = () => session.user && session.user.role !== 'guest';

// The hotel's date today, in its own zone.
function hotelToday(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit',
    day: '2-digit' }).format(new Date());
}

// The hotels this user works at (all of them for an admin).
async function myHotels() {
  if (session.user.role === 'admin') return (await api('/v1/hotels?per_page=100')).items;
  return Promise.all((session.user.hotel_ids || []).map(
    (id) => api(`/v1/hotels/${encodeURIComponent(id)}`)));
}

// A hotel picker whose change goes to `path` with ?hotel=<id>.
function hotelPicker(hotels, current, path) {
  const select = el('select', { 'aria-label': 'Hotel' },
    ...hotels.map((h) => el('option', { value: h.id, selected: h.id === current, text: h.name })));
  select.addEventListener('change', () => { location.hash = `${path}?hotel=${select.value}`; });
  return select;
}

// The hotel a staff screen is about (?hotel=, else the first the user works at), with the
// hotels for its picker; null (and the screen says so) when the user works at none.
async function staffHotel(params) {
  const hotels = await myHotels();
  const hotel = hotels.find((h) => h.id === params.get('hotel')) || hotels[0];
  if (!hotel) {
    show(el('p', { text: 'You do not work at any hotel yet.' }));
    return null;
  }
  return { hotels, hotel };
}

// A staff screen: the hotel it is about (?hotel=, with the user's hotels for its picker), then
// `draw` with the screen's own show; a failure is shown as the server's problem.
async function staffScreen(params, draw) {
  const show = showFor();
  if (needStaff()) return;
  try {
    const picked = await staffHotel(params);
    if (picked) await draw(picked, show);
  } catch (err) {
    show(problemBox(err));
  }
}

function needStaff() {
  if (needSession()) return true;
  if (isStaff()) return false;
  show(el('h1', { text: 'Not for guests' }),
    el('p', { class: 'problem', role: 'alert',
      text: 'The front desk is for the hotel\'s staff. Your bookings are under My bookings.' }));
  return true;
}

function deskScreen(params) {
  return staffScreen(params, async ({ hotels, hotel }, show) => {
    const date = params.get('date') || hotelToday(hotel.timezone);
    const box = el('div');
    const lists = [];
    for (const [what, title] of [['arrivals', 'Arrivals'], ['departures', 'Departures'],
      ['in-house', 'In house']]) {
      const page = await api(`/v1/hotels/${hotel.id}/${what}?date=${date}&per_page=100`);
      const rows = page.items.map((b) => {
        const actions = el('div', { class: 'actions' });
        const act = (label, action) => {
          const button = el('button', { type: 'button', text: label,
            'aria-label': `${label} ${b.guest_name}` });
          button.addEventListener('click', async () => {
            try {
              await api(`/v1/bookings/${b.id}/${action}`, { method: 'POST',
                headers: { 'If-Match': `"${b.version}"` } });
              route();
            } catch (err) {
              box.replaceChildren(problemBox(err));
            }
          });
          actions.append(button);
        };
        if (what === 'arrivals' && b.status === 'confirmed') {
          act('Check in', 'check-in');
          act('No-show', 'no-show');
        }
        if (what === 'departures' && b.status === 'checked_in') act('Check out', 'check-out');
        return el('li', { class: 'card desk-row' },
          el('div', {},
            el('strong', { text: b.guest_name || 'Guest' }),
            el('span', { class: 'muted', text: ` · room ${b.room ? b.room.number : '?'} · ` +
              `${b.check_in} → ${b.check_out} · ${statusWords[b.status] || b.status}` }),
            el('div', { class: 'muted', text: `Balance due ${money(b.balance_due)}` })),
          actions);
      });
      lists.push(el('section', { 'aria-label': title },
        el('h2', { text: `${title} (${page.total})` }),
        rows.length ? el('ul', { class: 'results' }, rows) : el('p', { class: 'muted',
          text: 'None.' })));
    }
    show(el('h1', { text: `Front desk · ${date}` }),
      el('div', { class: 'actions' }, hotelPicker(hotels, hotel.id, '#/desk'),
        el('a', { href: `#/chart?hotel=${hotel.id}`, text: 'Tape chart' })),
      box, ...lists);
  });
}

// The tape chart: rooms down, days across; a stay is a bar from its arrival to its departure,
// coloured by status; dragging a bar onto another room moves the booking (the server decides:
// a taken room answers 409 and the bar goes back, with the reason).
async function chartScreen(params) {
  const show = showFor();
  if (needStaff()) return;
  try {
    const days = Math.min(31, Math.max(14, Number(params.get('days')) || 14));
    // The chart's three reads at once, the stays as bars only (id, status, guest, dates); with
    // the hotel and the first day in the address, beside the read of the user's hotels.
    const reads = (id, first) => Promise.all([
      api(`/v1/hotels/${id}/room-chart?from=${first}&to=${addDays(first, days)}&view=bars`),
      api(`/v1/hotels/${id}/room-types?per_page=100`),
      api(`/v1/hotels/${id}/rate-plans?per_page=100`),
    ]);
    const early = params.get('hotel') && params.get('from')
      ? reads(params.get('hotel'), params.get('from')) : null;
    early?.catch(() => {});  // its failure is shown below, when it is the hotel shown
    const picked = await staffHotel(params);
    if (!picked) return;
    const { hotels, hotel } = picked;
    const from = params.get('from') || addDays(hotelToday(hotel.timezone), -1);
    const [chart, types, plans] = await (early && hotel.id === params.get('hotel')
      ? early : reads(hotel.id, from));
    performance.mark('chart-read');  // for bench/tape_chart.mjs
    const typeName = Object.fromEntries(types.items.map((t) => [t.id, t.code]));
    const plansOf = plans.items;
    const walkIn = el('div', { class: 'walk-in' });
    const message = el('p', { class: 'chart-message', role: 'status' });
    const fromMs = Date.parse(`${from}T12:00:00Z`);
    const dayIndex = (date) => Math.round((Date.parse(`${date}T12:00:00Z`) - fromMs) / 86400000);
    const grid = el('div', { class: 'chart', role: 'grid', 'aria-label': 'Tape chart' });
    grid.style.setProperty('--days', String(days));  // CSSOM: the policy allows no style attribute
    const head = el('div', { class: 'chart-row chart-head', role: 'row' },
      el('div', { class: 'chart-room', role: 'columnheader', text: 'Room' }),
      el('div', { class: 'chart-days' }, ...Array.from({ length: days }, (_, i) =>
        el('div', { class: 'chart-day', role: 'columnheader', text: addDays(from, i).slice(5) }))));
    const place = (bar, start, end) => {
      const a = Math.max(0, dayIndex(start));
      const b = Math.min(days, dayIndex(end));
      bar.style.gridColumn = `${a + 1} / ${Math.max(a + 1, b) + 1}`;
    };
    // Every lane and bar built off the page, then added in one step; the handlers sit on the
    // grid once (not on each of a thousand bars and a hundred lanes).
    const rows = document.createDocumentFragment();
    rows.append(head);
    const roomOf = new Map();
    for (const room of chart.rooms) {
      roomOf.set(room.id, room);
      const lane = document.createElement('div');
      lane.className = 'chart-days chart-lane';
      lane.dataset.room = room.id;
      for (const o of room.out_of_service) {
        const block = document.createElement('div');
        block.className = 'bar oos';
        block.title = `Out of service: ${o.reason}`;
        block.textContent = o.reason;
        place(block, o.from, o.to);
        lane.append(block);
      }
      for (const b of room.stays) {
        const bar = document.createElement('a');
        bar.className = `bar stay ${b.status}`;
        bar.href = `#/bookings/${b.id}`;
        bar.draggable = true;
        bar.dataset.booking = b.id;
        bar.dataset.version = b.version;
        bar.title = `${b.guest_name} · ${b.check_in} → ${b.check_out}`;
        bar.textContent = b.guest_name || 'Guest';
        place(bar, b.check_in, b.check_out);
        lane.append(bar);
      }
      const label = document.createElement('div');
      label.className = 'chart-room';
      label.setAttribute('role', 'rowheader');
      label.append(`${room.number} `,
        el('span', { class: 'muted', text: typeName[room.room_type_id] || '' }));
      const row = document.createElement('div');
      row.className = 'chart-row';
      row.setAttribute('role', 'row');
      row.append(label, lane);
      rows.append(row);
    }
    grid.append(rows);
    performance.mark('chart-built');
    const laneOf = (e) => (e.target instanceof Element ? e.target.closest('.chart-lane') : null);
    grid.addEventListener('dragstart', (e) => {
      const bar = e.target instanceof Element ? e.target.closest('.bar.stay') : null;
      if (!bar) return;
      e.dataTransfer.setData('text/plain', bar.dataset.booking);
      e.dataTransfer.effectAllowed = 'move';
    });
    // A click on an empty night of a room: a walk-in there.
    grid.addEventListener('click', (e) => {
      const lane = laneOf(e);
      if (!lane || e.target !== lane) return;
      const rect = lane.getBoundingClientRect();
      const day = Math.floor(((e.clientX - rect.left) / rect.width) * days);
      walkInForm(hotel, roomOf.get(lane.dataset.room), addDays(from, day), plansOf, walkIn, params);
    });
    grid.addEventListener('dragover', (e) => {
      const lane = laneOf(e);
      if (!lane) return;
      e.preventDefault();
      lane.classList.add('over');
    });
    grid.addEventListener('dragleave', (e) => {
      const lane = laneOf(e);
      if (lane) lane.classList.remove('over');
    });
    grid.addEventListener('drop', async (e) => {
      const lane = laneOf(e);
      if (!lane) return;
      e.preventDefault();
      lane.classList.remove('over');
      const room = roomOf.get(lane.dataset.room);
      const id = e.dataTransfer.getData('text/plain');
      const bar = grid.querySelector(`[data-booking="${CSS.escape(id)}"]`);
      if (!bar || bar.parentElement === lane) return;
      const home = bar.parentElement;
      lane.append(bar);  // shown where it was dropped while the server decides
      try {
        await api(`/v1/bookings/${id}/move`, { method: 'POST', json: { room_id: room.id },
          headers: { 'If-Match': `"${bar.dataset.version}"` } });
        message.textContent = `Moved to room ${room.number}.`;
        const keep = message.textContent;
        await chartScreen(params);
        const shown = document.querySelector('.chart-message');
        if (shown) shown.textContent = keep;
      } catch (err) {
        home.append(bar);  // snaps back
        message.textContent = `Not moved: ${err.message}`;
        message.classList.add('bad');
      }
    });
    show(el('h1', { text: `Tape chart · ${hotel.name}` }),
      el('div', { class: 'actions' }, hotelPicker(hotels, hotel.id, '#/chart'),
        el('a', { href: `#/chart?hotel=${hotel.id}&from=${addDays(from, -7)}&days=${days}`,
          text: '← Earlier' }),
        el('a', { href: `#/chart?hotel=${hotel.id}&from=${addDays(from, 7)}&days=${days}`,
          text: 'Later →' }),
        el('a', { href: `#/desk?hotel=${hotel.id}`, text: 'Front desk' })),
      message, walkIn, grid);
  } catch (err) {
    show(problemBox(err));
  }
}

// The walk-in form for a room from a night: the guest, the nights, the plan; booked like any
// stay (the room's type, then moved into this very room when another one was given).
function walkInForm(hotel, room, night, plans, box, params) {
  const errors = {};
  const said = el('div');
  const name = el('input', { autocomplete: 'off' });
  const email = el('input', { type: 'email', autocomplete: 'off' });
  const phone = el('input', { type: 'tel', autocomplete: 'off' });
  const nights = el('input', { type: 'number', min: 1, max: 30, value: 1 });
  const plan = el('select', {}, ...plans.map((p) => el('option', { value: p.id, text: p.name })));
  const cancel = el('button', { type: 'button', class: 'secondary', text: 'Close' });
  cancel.addEventListener('click', () => box.replaceChildren());
  const form = el('form', { class: 'stack', 'aria-label': `Walk-in in room ${room.number}` },
    el('h2', { text: `Walk-in · room ${room.number} from ${night}` }),
    formField(errors, 'guest_name', 'Guest name', name),
    formField(errors, 'guest_email', 'Email', email),
    formField(errors, 'guest_phone', 'Phone', phone),
    formField(errors, 'check_out', 'Nights', nights),
    formField(errors, 'rate_plan_id', 'Rate plan', plan),
    el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Book walk-in' }), cancel),
    said);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { hotel_id: hotel.id, room_type_id: room.room_type_id, rate_plan_id: plan.value,
      check_in: night, check_out: addDays(night, Number(nights.value) || 1), guests: 1,
      guest_name: name.value };
    if (email.value) body.guest_email = email.value;
    if (phone.value) body.guest_phone = phone.value;
    if (!email.value && !phone.value) {
      // Without a way to reach the guest the stay would be the desk's own booking.
      errors.guest_email.textContent = 'An email or a phone number reaches the guest.';
      said.replaceChildren(el('p', { class: 'problem', role: 'alert',
        text: 'A walk-in needs the guest\'s email or phone.' }));
      return;
    }
    try {
      const booking = await api('/v1/bookings', { method: 'POST', json: body,
        headers: { 'Idempotency-Key': crypto.randomUUID() } });
      if (booking.room && booking.room.id !== room.id) {
        try {
          await api(`/v1/bookings/${booking.id}/move`, { method: 'POST',
            json: { room_id: room.id }, headers: { 'If-Match': `"${booking.version}"` } });
        } catch {
          // Booked in another room of the type; the chart shows where.
        }
      }
      await chartScreen(params);
      const shown = document.querySelector('.chart-message');
      if (shown) shown.textContent = `Walk-in booked for ${name.value}.`;
    } catch (err) {
      showProblem(err, errors, said);
    }
  });
  box.replaceChildren(form);
  name.focus();
}

// --- the rates calendar (managers): a month per room type and plan; a range of days gets a
// price and restrictions in one bulk request ---------------------------------------------------

const weekdayNames = [['mon', 'Mon'], ['tue', 'Tue'], ['wed', 'Wed'], ['thu', 'Thu'],
  ['fri', 'Fri'], ['sat', 'Sat'], ['sun', 'Sun']];

function ratesScreen(params) {
  return staffScreen(params, async ({ hotels, hotel }, show) => {
    const [types, plans] = await Promise.all([
      api(`/v1/hotels/${hotel.id}/room-types?per_page=100`),
      api(`/v1/hotels/${hotel.id}/rate-plans?per_page=100`),
    ]);
    const type = types.items.find((t) => t.id === params.get('type')) || types.items[0];
    const plan = plans.items.find((p) => p.id === params.get('plan')) || plans.items[0];
    if (!type || !plan) {
      show(el('p', { text: 'This hotel has no room type or rate plan yet.' }));
      return;
    }
    const month = params.get('month') || hotelToday(hotel.timezone).slice(0, 7);
    const first = `${month}-01`;
    const next = addDays(first, 32).slice(0, 7);
    const last = `${next}-01`;
    const rates = await api(`/v1/hotels/${hotel.id}/rates?room_type_id=${type.id}` +
      `&rate_plan_id=${plan.id}&from=${first}&to=${last}`);
    const go = (changes) => {
      const q = new URLSearchParams({ hotel: hotel.id, type: type.id, plan: plan.id, month,
        ...changes });
      location.hash = `#/rates?${q}`;
    };
    const pick = (label, items, current, key) => {
      const select = el('select', { 'aria-label': label }, ...items.map((i) =>
        el('option', { value: i.id, selected: i.id === current, text: i.name })));
      select.addEventListener('change', () => go({ [key]: select.value }));
      return select;
    };

    // The form: which days, and what they get.
    const errors = {};
    const box = el('div');
    const fromInput = el('input', { type: 'date' });
    const toInput = el('input', { type: 'date' });
    const price = el('input', { inputmode: 'decimal', placeholder: '129.00' });
    const minStay = el('input', { type: 'number', min: 1, max: 30 });
    const flags = Object.fromEntries(['closed_to_arrival', 'closed_to_departure', 'stop_sell']
      .map((f) => [f, el('select', {}, el('option', { value: '', text: 'unchanged' }),
        el('option', { value: 'true', text: 'yes' }), el('option', { value: 'false', text: 'no' }))]));
    const days = Object.fromEntries(weekdayNames.map(([k]) => [k, el('input', { type: 'checkbox',
      value: k })]));
    const form = el('form', { class: 'stack rates-form', 'aria-label': 'Set rates' },
      el('div', { class: 'actions' },
        formField(errors, 'from', 'From', fromInput),
        formField(errors, 'to', 'To (last night)', toInput)),
      el('fieldset', { class: 'weekdays' }, el('legend', { text: 'Only on (none: every day)' }),
        ...weekdayNames.map(([k, name]) => el('label', { class: 'inline' }, days[k], name))),
      el('div', { class: 'actions' },
        formField(errors, 'price', `Price (${hotel.currency})`, price),
        formField(errors, 'min_stay', 'Min stay', minStay)),
      el('div', { class: 'actions' },
        formField(errors, 'closed_to_arrival', 'Closed to arrival', flags.closed_to_arrival),
        formField(errors, 'closed_to_departure', 'Closed to departure',
          flags.closed_to_departure),
        formField(errors, 'stop_sell', 'Stop sell', flags.stop_sell)),
      el('div', { class: 'actions' }, el('button', { type: 'submit', text: 'Save' })),
      box);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { room_type_id: type.id, rate_plan_id: plan.id, from: fromInput.value,
        to: toInput.value ? addDays(toInput.value, 1) : '' };
      const picked = weekdayNames.map(([k]) => k).filter((k) => days[k].checked);
      if (picked.length) body.weekdays = picked;
      if (price.value) body.price = price.value;
      if (minStay.value) body.min_stay = Number(minStay.value);
      for (const [f, select] of Object.entries(flags)) if (select.value) body[f] = select.value === 'true';
      try {
        const done = await api(`/v1/hotels/${hotel.id}/rates`, { method: 'PUT', json: body });
        await ratesScreen(params);
        document.querySelector('.rates-message').textContent =
          `Saved: ${done.updated_days} day(s).`;
      } catch (err) {
        showProblem(err, errors, box);
      }
    });

    // The month: a week per row; clicking a day starts the range, a second click ends it.
    const grid = el('div', { class: 'month', role: 'grid', 'aria-label': `Rates of ${month}` },
      ...weekdayNames.map(([, name]) => el('div', { class: 'month-head', role: 'columnheader',
        text: name })));
    const offset = (new Date(`${first}T12:00:00Z`).getUTCDay() + 6) % 7;
    for (let i = 0; i < offset; i += 1) grid.append(el('div', { class: 'month-pad' }));
    let clicks = 0;
    for (const day of rates.items) {
      const marks = [day.stop_sell && 'stop', day.closed_to_arrival && 'CTA',
        day.closed_to_departure && 'CTD', day.min_stay > 1 && `min ${day.min_stay}`].filter(Boolean);
      const cell = el('button', { type: 'button', class: `month-day${day.stop_sell ? ' stopped' : ''}`,
        'data-date': day.date, 'aria-label': `${day.date} ${day.price ? money(day.price) : 'no price'}` },
      el('span', { class: 'month-date', text: day.date.slice(8) }),
      el('span', { class: 'month-price', text: day.price ? day.price.amount : '—' }),
      el('span', { class: 'month-marks', text: marks.join(' · ') }));
      cell.addEventListener('click', () => {
        clicks += 1;
        if (clicks % 2 === 1 || day.date < fromInput.value) {
          fromInput.value = day.date;
          toInput.value = day.date;
        } else {
          toInput.value = day.date;
        }
      });
      grid.append(cell);
    }
    show(el('h1', { text: `Rates · ${hotel.name}` }),
      el('div', { class: 'actions' }, hotelPicker(hotels, hotel.id, '#/rates'),
        pick('Room type', types.items, type.id, 'type'),
        pick('Rate plan', plans.items, plan.id, 'plan'),
        el('a', { href: '#', onclick: (e) => { e.preventDefault(); go({ month:
          addDays(first, -1).slice(0, 7) }); }, text: '← Previous month' }),
        el('a', { href: '#', onclick: (e) => { e.preventDefault(); go({ month: next }); },
          text: 'Next month →' })),
      plan.derived_from ? el('p', { class: 'muted', text: 'This plan follows another plan\'s ' +
        `rates (${plan.derived_from.adjustment_percent}%); set them on that plan.` }) : null,
      el('h2', { text: month }), grid, el('p', { class: 'rates-message', role: 'status' }), form);
  });
}

// --- housekeeping: each room's status, changed in place ---------------------------------------

const housekeepingWords = { clean: 'Clean', dirty: 'Dirty', inspected: 'Inspected',
  out_of_order: 'Out of order' };

function housekeepingScreen(params) {
  return staffScreen(params, async ({ hotels, hotel }, show) => {
    const board = await api(`/v1/hotels/${hotel.id}/housekeeping`);
    const said = el('p', { class: 'housekeeping-message', role: 'status' });
    const rows = board.items.map((r) => {
      const select = el('select', { 'aria-label': `Status of room ${r.number}` },
        ...Object.entries(housekeepingWords).map(([value, text]) =>
          el('option', { value, selected: value === r.status, text })));
      select.addEventListener('change', async () => {
        try {
          await api(`/v1/hotels/${hotel.id}/rooms/${r.room_id}/housekeeping`, {
            method: 'PATCH', json: { status: select.value } });
          said.textContent = `Room ${r.number}: ${housekeepingWords[select.value]}.`;
          row.className = `card hk-row ${select.value}`;
        } catch (err) {
          said.textContent = err.message;
          select.value = r.status;
        }
      });
      const row = el('li', { class: `card hk-row ${r.status}` },
        el('strong', { text: `Room ${r.number}` }),
        el('span', { class: 'muted', text: r.occupied ? 'occupied' : 'vacant' }), select);
      return row;
    });
    show(el('h1', { text: `Housekeeping · ${hotel.name}` }),
      el('div', { class: 'actions' }, hotelPicker(hotels, hotel.id, '#/housekeeping')),
      said, el('ul', { class: 'results hk-board' }, rows));
  });
}

// --- the occupancy report (managers): occupancy, ADR and RevPAR per night, as a chart and a
// table -----------------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

function reportScreen(params) {
  return staffScreen(params, async ({ hotels, hotel }, show) => {
    const from = params.get('from') || hotelToday(hotel.timezone);
    const to = params.get('to') || addDays(from, 14);
    const report = await api(`/v1/hotels/${hotel.id}/reports/occupancy?from=${from}&to=${to}`);
    // Occupancy per night as bars (0-100%), ADR and RevPAR in the table beside it.
    const width = 640;
    const height = 200;
    const step = width / Math.max(1, report.days.length);
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, role: 'img',
      class: 'report-chart', 'aria-label': `Occupancy from ${from} to ${to}` },
    ...report.days.map((d, i) => {
      const pct = d.occupancy_percent === null ? 0 : Number(d.occupancy_percent);
      const h = (pct / 100) * height;
      const bar = svg('rect', { x: i * step + 2, y: height - h, width: Math.max(1, step - 4),
        height: h, class: 'occupancy-bar' });
      bar.append(svg('title', {}, `${d.date}: ${d.occupancy_percent ?? '—'}%`));
      return bar;
    }),
    svg('line', { x1: 0, y1: height, x2: width, y2: height, class: 'axis' }));
    const cell = (text) => el('td', { text });
    const table = el('table', { class: 'report-table' },
      el('thead', {}, el('tr', {}, ...['Night', 'Available', 'Sold', 'Occupancy', 'ADR', 'RevPAR',
        'Revenue'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...report.days.map((d) => el('tr', {}, cell(d.date),
        cell(d.rooms_available), cell(d.rooms_sold),
        cell(d.occupancy_percent === null ? '—' : `${d.occupancy_percent}%`),
        cell(d.adr ? money(d.adr) : '—'), cell(d.revpar ? money(d.revpar) : '—'),
        cell(money(d.room_revenue))))));
    const t = report.totals;
    show(el('h1', { text: `Occupancy · ${hotel.name}` }),
      el('div', { class: 'actions' }, hotelPicker(hotels, hotel.id, '#/report'),
        el('span', { class: 'muted', text: `${from} → ${to}` })),
      el('p', { class: 'report-totals', text: `Occupancy ${t.occupancy_percent ?? '—'}% · ADR ` +
        `${t.adr ? money(t.adr) : '—'} · RevPAR ${t.revpar ? money(t.revpar) : '—'} · revenue ` +
        `${money(t.room_revenue)}` }),
      el('section', { class: 'card' }, chart), el('section', { class: 'card' }, table));
  });
}

function route() {
  renderNav();
  const { path, params } = readQuery();
  const hotel = path.match(/^\/hotel\/([0-9a-f-]{36})$/);
  if (hotel) return hotelScreen(hotel[1], params);
  const booking = path.match(/^\/bookings\/([0-9a-f-]{36})$/);
  if (booking) return bookingScreen(booking[1]);
  if (path === '/bookings') return bookingsScreen();
  if (path === '/book') return bookScreen(params);
  if (path === '/login') return loginScreen(params);
  if (path === '/desk') return deskScreen(params);
  if (path === '/chart') return chartScreen(params);
  if (path === '/rates') return ratesScreen(params);
  if (path === '/housekeeping') return housekeepingScreen(params);
  if (path === '/report') return reportScreen(params);
  // The management screens load on first use (web/admin.js, web/catalogue.js).
  if (path === '/users') return import('./admin.js').then((m) => m.usersScreen(params));
  if (path === '/catalogue') return import('./catalogue.js').then((m) => m.catalogueScreen(params));
  return searchScreen(params);
}

// For the screens in other modules.
export { api, el, everyPage, myHotels, hotelPicker, needSession, problemBox, session, showFor,
  staffHotel };

window.addEventListener('hashchange', route);
// A page load resumes the session from its cookie, when there is one.
refresh().finally(route);
