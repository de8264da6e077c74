// A manager sets a weekend price for a range on the rates calendar, in one bulk request, and a
// guest's search shows it.
import { adminApi, base, check, demoLisbon, isoDay, run, shot, signIn, withPage } from './browser.mjs';

const api = await adminApi();
const { hotel: lisbon, std, flex } = await demoLisbon(api);

await run('a manager sets a weekend price and the guest search shows it', () => withPage(async (page) => {
  const email = `rates-manager-${Date.now()}@example.com`;
  const created = await api('POST', '/v1/users', { email, password: 'manager password 123',
    name: 'Rita Manager', role: 'manager', hotel_ids: [lisbon.id] });
  check(created.status === 201, `manager created (${created.status})`);

  // The first Friday from two weeks ahead.
  let friday = 14;
  while (new Date(`${isoDay(friday)}T12:00:00Z`).getUTCDay() !== 5) friday += 1;
  const fridayDate = isoDay(friday);

  await signIn(page, email, 'manager password 123');
  await page.goto(`${base}/#/rates?hotel=${lisbon.id}&type=${std.id}&plan=${flex.id}` +
    `&month=${fridayDate.slice(0, 7)}`);
  // The range by clicking its first and last day, then the weekend only.
  await page.locator(`[data-date="${fridayDate}"]`).click();
  await page.locator(`[data-date="${fridayDate}"]`).click();
  check(await page.getByLabel('From').inputValue() === fridayDate, 'a click starts the range');
  await page.getByLabel('To (last night)').fill(isoDay(friday + 8));
  await page.getByLabel('Fri', { exact: true }).check();
  await page.getByLabel('Sat', { exact: true }).check();
  await page.getByLabel('Price (EUR)').fill('999.00');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() =>
    document.querySelector('.rates-message')?.textContent.startsWith('Saved'));
  const saved = await page.locator('.rates-message').textContent();
  check(saved === 'Saved: 4 day(s).', `two Fridays and two Saturdays (${saved})`);
  check((await page.locator(`[data-date="${fridayDate}"] .month-price`).textContent()) ===
    '999.00', 'the calendar shows the new price');
  await shot(page, 'rates-calendar');

  // A guest's offers for a stay over that Friday.
  await page.goto(`${base}/#/hotel/${lisbon.id}?check_in=${isoDay(friday - 1)}` +
    `&check_out=${isoDay(friday + 1)}&guests=2`);
  const standard = page.locator('section.room-type', { hasText: 'Standard Double' });
  await standard.waitFor();
  const nightly = await standard.locator('.offer', { hasText: 'Flexible' }).locator('.nightly')
    .textContent();
  check(nightly.includes(`${fridayDate}: €999.00`), `the guest sees it (${nightly})`);
}));

await run('a rate the server refuses shows its message next to the field', () => withPage(async (page) => {
  await signIn(page, 'admin@example.com', 'web-tests-admin-123');
  await page.goto(`${base}/#/rates?hotel=${lisbon.id}&type=${std.id}&plan=${flex.id}`);
  await page.getByLabel('From').fill(isoDay(5));
  await page.getByLabel('To (last night)').fill(isoDay(6));
  await page.getByLabel('Price (EUR)').fill('12.345');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('.problem').waitFor();
  const said = await page.locator('#price-error').textContent();
  check(said.length > 0, 'the price field shows the server\'s message');
}));
