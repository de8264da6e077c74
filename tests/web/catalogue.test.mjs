// A hotel's catalogue through its manager's pages: a new room type and a room of it, which the
// tape chart then shows; a change in a dialog; a retirement that stays refuse (409, with the
// stays shown) and one that succeeds; bad input with the server's message beside its field.
import { adminApi, base, check, demoLisbon, isoDay, run, screenshots, signIn, withPage } from './browser.mjs';

const api = await adminApi();
const { hotel: lisbon, std, flex } = await demoLisbon(api);
const stamp = String(Date.now() % 100000);
const email = `catalogue-manager-${stamp}@example.com`;
const created = await api('POST', '/v1/users', { email, password: 'manager password 123',
  name: 'Carla Catalogue', role: 'manager', hotel_ids: [lisbon.id] });
check(created.status === 201, `manager created (${created.status})`);

async function messageOf(scope, label) {
  const id = await scope.getByLabel(label, { exact: true }).first()
    .getAttribute('aria-describedby');
  return (await scope.locator(`[id="${id}"]`).textContent()).trim();
}

async function openCatalogue(page) {
  await signIn(page, email, 'manager password 123');
  await page.getByRole('link', { name: 'Catalogue', exact: true }).click();
  await page.getByRole('heading', { name: 'Catalogue of Casa do Tejo' }).waitFor();
}

async function status(page, text) {
  await page.locator('.catalogue-status', { hasText: text }).waitFor();
}

await run('a manager adds a room type and a room, and the tape chart shows the room',
  () => withPage(async (page) => {
    const code = `G${stamp}`;
    const number = `9${stamp}`;
    await openCatalogue(page);
    const addType = page.getByRole('form', { name: 'Add room type', exact: true });
    await addType.getByLabel('Code', { exact: true }).fill(code);
    await addType.getByLabel('Name', { exact: true }).fill('Garden Room');
    await addType.getByLabel('Max guests', { exact: true }).fill('2');
    await addType.getByRole('button', { name: 'Add room type', exact: true }).click();
    await status(page, `Added room type ${code}.`);

    const addRoom = page.getByRole('form', { name: 'Add room', exact: true });
    await addRoom.getByLabel('Room number', { exact: true }).fill(number);
    await addRoom.getByLabel('Room type', { exact: true }).selectOption({
      label: `Garden Room (${code})` });
    await addRoom.getByLabel('Floor', { exact: true }).fill('9');
    await addRoom.getByRole('button', { name: 'Add room', exact: true }).click();
    await status(page, `Added room ${number}.`);
    // The window only, at the room types: the whole page lists every room of the hotel.
    await page.getByRole('heading', { name: 'Room types' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${screenshots}/catalogue.png` });

    // A change of the new type in its dialog.
    await page.getByRole('button', { name: `Change room type ${code}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Garden Room Deluxe');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await status(page, `Saved room type ${code}.`);
    check((await page.locator('tr', { hasText: code }).first().textContent())
      .includes('Garden Room Deluxe'), 'the list shows the new name');

    await page.getByRole('link', { name: 'Tape chart' }).click();
    await page.locator('.chart-room', { hasText: number }).waitFor();
    const types = (await api('GET', `/v1/hotels/${lisbon.id}/room-types?per_page=100`)).body.items;
    check(types.some((t) => t.code === code && t.name === 'Garden Room Deluxe'),
      'the API has the room type');
  }));

await run('bad input gets the server\'s message beside its field', () => withPage(async (page) => {
  await openCatalogue(page);
  // A code the hotel already has: 409, beside the code.
  const addType = page.getByRole('form', { name: 'Add room type', exact: true });
  await addType.getByLabel('Code', { exact: true }).fill('STD');
  await addType.getByLabel('Name', { exact: true }).fill('Another Standard');
  await addType.getByLabel('Max guests', { exact: true }).fill('2');
  await addType.getByRole('button', { name: 'Add room type', exact: true }).click();
  await addType.locator('.problem').waitFor();
  const code = await messageOf(addType, 'Code');
  check(code.length > 0, 'a message beside the code');
  check(await messageOf(addType, 'Name') === '', 'none beside the name');

  // A time zone that does not exist, beside the time zone.
  const hotel = page.getByRole('form', { name: 'Hotel details' });
  await hotel.getByLabel('Time zone (IANA)').fill('Mars/Olympus_Mons');
  await hotel.getByRole('button', { name: 'Save hotel' }).click();
  await hotel.locator('.problem').waitFor();
  check((await messageOf(hotel, 'Time zone (IANA)')).length > 0, 'a message beside the zone');
  const after = (await api('GET', `/v1/hotels/${lisbon.id}`)).body;
  check(after.timezone === 'Europe/Lisbon', 'the hotel is unchanged');
}));

await run('retiring what stays hold is refused with the stays; a free room retires',
  () => withPage(async (page) => {
    const stay = await api('POST', '/v1/bookings', {
      hotel_id: lisbon.id, room_type_id: std.id, rate_plan_id: flex.id, check_in: isoDay(20),
      check_out: isoDay(22), guests: 1, guest_name: 'Holding Standard',
      guest_email: 'holder@example.com' });
    check(stay.status === 201, `a stay of STD (${stay.status})`);
    const room = await api('POST', `/v1/hotels/${lisbon.id}/rooms`,
      { number: `R${stamp}`, room_type_id: std.id });
    check(room.status === 201, `a free room (${room.status})`);

    await openCatalogue(page);
    await page.getByRole('button', { name: 'Retire room type STD' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Retire room type STD' }).click();
    await dialog.locator('.problem').waitFor();
    await dialog.locator(`a[href="#/bookings/${stay.body.id}"]`).waitFor();
    await page.screenshot({ path: `${screenshots}/catalogue-retire-refused.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    check((await api('GET', `/v1/hotels/${lisbon.id}/room-types?per_page=100`)).body.items
      .some((t) => t.id === std.id), 'STD is still sold');

    await page.getByRole('button', { name: `Retire room R${stamp}` }).click();
    await dialog.getByRole('button', { name: `Retire room R${stamp}` }).click();
    await status(page, `Retired room R${stamp}.`);
    check(await page.locator('tr', { hasText: `R${stamp}` }).count() === 0, 'the row is gone');
  }));

await run('a manager adds a rate plan and changes its terms; a bad fee is refused beside it',
  () => withPage(async (page) => {
    const code = `P${stamp}`;
    await openCatalogue(page);
    const add = page.getByRole('form', { name: 'Add rate plan', exact: true });
    await add.getByLabel('Code', { exact: true }).fill(code);
    await add.getByLabel('Name', { exact: true }).fill('Early Bird');
    await add.getByLabel('Free cancellation until (hours before arrival)').fill('48');
    await add.getByLabel('Fee after that (first_night, full_stay or percent:P)').fill('everything');
    await add.getByRole('button', { name: 'Add rate plan', exact: true }).click();
    await add.locator('.problem').waitFor();
    const message = await messageOf(add, 'Fee after that (first_night, full_stay or percent:P)');
    check(message.length > 0, 'a message beside the fee');
    await add.getByLabel('Fee after that (first_night, full_stay or percent:P)').fill('percent:30');
    await add.getByRole('button', { name: 'Add rate plan', exact: true }).click();
    await status(page, `Added rate plan ${code}.`);

    await page.getByRole('button', { name: `Change rate plan ${code}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Free cancellation until (hours before arrival)').fill('24');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await status(page, `Saved rate plan ${code}.`);
    const plan = (await api('GET', `/v1/hotels/${lisbon.id}/rate-plans?per_page=100`)).body.items
      .find((p) => p.code === code);
    check(plan && plan.free_cancellation_hours === 24 && plan.penalty === 'percent:30',
      `the API has the plan's terms (${JSON.stringify(plan)})`);
  }));
