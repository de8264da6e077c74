// How long the tape chart takes to show 110 rooms × 31 days (issue 14's budget: 200 ms), in the
// same headless chromium as the browser tests: a hotel of 110 rooms with a stay in most rooms
// and nights, then the chart opened 7 times; from setting the page's address to the chart in
// the page (its API read on loopback included), split by performance marks of app.js into the
// reads, building the page, and the rest (style, layout, paint). Prints the medians and the worst. Run by `./hotel bench web`;
// HOTEL_WEB_DIR_UNDER_TEST=<dir> serves another copy of the web app (an older one, to compare).
import { loadavg } from 'node:os';
import { adminApi, base, isoDay, signIn, withPage } from './browser.mjs';

const api = await adminApi();
const hotel = (await api('POST', '/v1/hotels', { name: 'Chart Bench', city: 'Benchton',
  country: 'PT', timezone: 'Europe/Lisbon', currency: 'EUR' })).body;
const type = (await api('POST', `/v1/hotels/${hotel.id}/room-types`,
  { code: 'DBL', name: 'Double', max_occupancy: 2 })).body;
const plan = (await api('POST', `/v1/hotels/${hotel.id}/rate-plans`,
  { code: 'NRF', name: 'N', refundable: false })).body;
for (let i = 0; i < 110; i += 1) {
  await api('POST', `/v1/hotels/${hotel.id}/rooms`,
    { number: String(1000 + i), room_type_id: type.id });
}
await api('PUT', `/v1/hotels/${hotel.id}/rates`, { room_type_id: type.id, rate_plan_id: plan.id,
  from: isoDay(0), to: isoDay(60), price: '90.00' });
// Stays of 1-4 nights packed over 31 days: about 110 × 31 / 2.5 / 1.3 ≈ 1,000 bookings.
let booked = 0;
for (let start = 0; start < 31; start += 1) {
  for (let k = 0; k < 40; k += 1) {
    const nights = 1 + ((start + k) % 4);
    const r = await api('POST', '/v1/bookings', { hotel_id: hotel.id, room_type_id: type.id,
      rate_plan_id: plan.id, check_in: isoDay(start), check_out: isoDay(start + nights),
      guests: 1, guest_name: `Guest ${start}-${k}`, guest_email: 'bench@example.com' });
    if (r.status === 201) booked += 1;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// The chart's API read alone, from node on loopback: whole bookings, and bars (what the page
// reads).
for (const view of ['full', 'bars']) {
  const reads = [];
  let bytes = 0;
  for (let i = 0; i < 7; i += 1) {
    const t0 = performance.now();
    const r = await api('GET', `/v1/hotels/${hotel.id}/room-chart?from=${isoDay(0)}` +
      `&to=${isoDay(31)}&view=${view}`);
    reads.push(performance.now() - t0);
    bytes = JSON.stringify(r.body).length;
  }
  console.log(`room-chart API read, view=${view}: median ${median(reads).toFixed(0)} ms, ` +
    `${(bytes / 1024).toFixed(0)} KiB of JSON`);
}
await withPage(async (page) => {
  await signIn(page, 'admin@example.com', 'web-tests-admin-123');
  const from = isoDay(0);
  const total = [];
  const read = [];
  const built = [];
  for (let i = 0; i < 7; i += 1) {
    await page.goto(`${base}/#/`);
    await page.getByRole('heading', { name: 'Find a room' }).waitFor();
    const t = await page.evaluate(async ([id, day]) => {
      performance.clearMarks();
      const t0 = performance.now();
      location.hash = `#/chart?hotel=${id}&from=${day}&days=31&t=${Math.random()}`;
      await new Promise((done) => {
        const look = () => (document.querySelector('.chart .bar') ? done() :
          requestAnimationFrame(look));
        look();
      });
      await new Promise((done) => requestAnimationFrame(() => done()));
      const at = (name) => (performance.getEntriesByName(name).pop()?.startTime ?? NaN) - t0;
      return [performance.now() - t0, at('chart-read'), at('chart-built')];
    }, [hotel.id, from]);
    total.push(t[0]);
    read.push(t[1]);
    built.push(t[2] - t[1]);
  }
  const rooms = await page.locator('.chart-lane').count();
  const bars = await page.locator('.chart .bar.stay').count();
  console.log(`tape chart: ${rooms} rooms x 31 days, ${bars} stays (${booked} booked); ` +
    `shown in median ${median(total).toFixed(0)} ms, worst ${Math.max(...total).toFixed(0)} ms ` +
    `(7 loads, API read included); of which the reads ${median(read).toFixed(0)} ms, ` +
    `building the page ${median(built).toFixed(0)} ms, the rest style, layout and paint; ` +
    `load average ${loadavg()[0].toFixed(1)}`);
});
