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
  view.replaceChildren(...nodes);
  view.focus();
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
    nav.replaceChildren(
      el('span', { class: 'who', text: session.user.name }),
      el('a', { href: '#/bookings', text: 'My bookings' }),
      el('button', { type: 'button', class: 'link', onclick: signOut, text: 'Sign out' }));
  } else {
    nav.replaceChildren(el('a', { href: `#/login?next=${encodeURIComponent(location.hash)}`,
      text: 'Sign in' }));
  }
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
    if (b.status === 'confirmed') {
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
  return searchScreen(params);
}

window.addEventListener('hashchange', route);
// A page load resumes the session from its cookie, when there is one.
refresh().finally(route);
