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

async function api(path, options = {}) {
  const res = await fetch(path, {
    ...options,
    headers: { Accept: 'application/json', ...(options.headers || {}) },
  });
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Problem(res.status, body);
  return body;
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
  return `Free cancellation until ${inZone(cancellation.free_until, timeZone)} ` +
    `(hotel time); after that, ${after}.`;
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
        el('div', { class: 'price', text: money(o.total) })))));
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

function route() {
  const { path, params } = readQuery();
  const hotel = path.match(/^\/hotel\/([0-9a-f-]{36})$/);
  if (hotel) return hotelScreen(hotel[1], params);
  return searchScreen(params);
}

window.addEventListener('hashchange', route);
route();
