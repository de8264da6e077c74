// A booking site's client, as an integrator writes it (issue 16): types generated from
// api/openapi.json by openapi-typescript, calls through openapi-fetch, compiled with tsc --strict
// (plus noUncheckedIndexedAccess and exactOptionalPropertyTypes) and no non-null assertion on a
// documented field. It searches, books with an Idempotency-Key, replays, modifies with If-Match,
// cancels, and switches on `code` and `reason`. Every response is checked at run time against
// the schema the document gives for its operation and status (Ajv, JSON Schema 2020-12).
//   node out/strict_client.js <base url> <openapi.json>
import createClient from "openapi-fetch";
import Ajv2020 from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import type { paths, components } from "./api.js";

type Booking = components["schemas"]["Booking"];
type Problem = components["schemas"]["Problem"];

const [base, documentPath] = process.argv.slice(2);
if (!base || !documentPath) throw new Error("usage: strict_client <base url> <openapi.json>");
const document = JSON.parse(readFileSync(documentPath, "utf8"));

// --- the run-time check ---------------------------------------------------------------------
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
ajv.addFormat("email", /^[^@\s]+@[^@\s]+$/);
ajv.addFormat("uri", (s: string) => s.length > 0);
ajv.addSchema({ $id: "doc", components: document.components });
let checked = 0;
const deviations: string[] = [];

function schemaFor(path: string, method: string, status: number): object | undefined {
  let response = document.paths?.[path]?.[method]?.responses?.[String(status)];
  if (response === undefined) {
    deviations.push(`${method.toUpperCase()} ${path}: status ${status} is not documented`);
    return undefined;
  }
  if (typeof response.$ref === "string")
    response = document.components.responses[response.$ref.split("/").pop() as string];
  const content = response.content ?? {};
  const media = content["application/json"] ?? content["application/problem+json"];
  return media?.schema;
}

function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>))
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? "doc" + v : rewriteRefs(v);
  return out;
}

async function check(path: string, method: string, response: Response): Promise<unknown> {
  const text = await response.clone().text();
  const schema = schemaFor(path, method, response.status);
  checked++;
  if (schema === undefined || response.status === 304 || response.status === 204) return undefined;
  const body: unknown = text.length > 0 ? JSON.parse(text) : undefined;
  const validate = ajv.compile(rewriteRefs(schema) as object);
  if (!validate(body))
    deviations.push(
      `${method.toUpperCase()} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}`,
    );
  return body;
}

// Every call goes through check(): the middleware sees each response with its operation's path.
const client = createClient<paths>({ baseUrl: base });
client.use({
  async onResponse({ schemaPath, request, response }) {
    await check(schemaPath, request.method.toLowerCase(), response);
    return undefined;
  },
});

function fail(message: string): never {
  throw new Error(message);
}
function expectStatus(what: string, got: number, want: number): void {
  if (got !== want) fail(`${what}: ${got}, expected ${want}`);
}
// What an integrator does with an error: switch on its code (and reason).
function describe(problem: Problem): string {
  switch (problem.code) {
    case "sold_out":
      return "sold out";
    case "version_mismatch":
      return "changed by someone else since it was read";
    case "invalid_state_transition":
      return "not possible in this state";
    case "unprocessable":
      return `refused (${problem.reason ?? "no reason"})`;
    default:
      return problem.code;
  }
}

// A booking site's answer to a refused booking, switching on the codes and reasons that the
// document lists for POST /v1/bookings alone. The switches are exhaustive (`never` in the
// default): a code or reason added to the operation without a case here fails to compile, and
// a case for a code the operation never answers does not compile either.
type BookingRefusal = NonNullable<
  Awaited<ReturnType<typeof client.POST<"/v1/bookings", { body: never }>>>["error"]
>;
function tellTheGuest(problem: BookingRefusal): string {
  switch (problem.code) {
    case "sold_out":
      return "that room has just sold out";
    case "conflict":
      return problem.reason === "price_changed"
        ? `the price is now ${problem.current_total?.amount ?? "?"}`
        : "conflict";
    case "unprocessable":
      return problem.reason === undefined ? "refused" : stayProblem(problem.reason);
    case "payment_declined":
      return "the card was declined";
    case "limit_reached":
      return "too many bookings without a card";
    case "forbidden":
      return "only the hotel's staff book for a guest without an account";
    case "idempotency_key_in_flight":
    case "unavailable":
      return "busy, try again";
    case "idempotency_key_reused":
    case "validation_failed":
    case "invalid_json":
    case "payload_too_large":
    case "unsupported_media_type":
    case "header_too_large":
      return "our request was wrong";
    case "unauthorized":
      return "log in again";
    case "internal":
      return "something broke";
    default: {
      const unhandled: never = problem;
      return JSON.stringify(unhandled);
    }
  }
}
function stayProblem(reason: NonNullable<Problem["reason"]>): string {
  switch (reason) {
    case "invalid_dates":
    case "stay_too_long":
    case "arrival_in_past":
    case "arrival_too_far":
      return "choose other dates";
    case "min_stay":
    case "max_stay":
    case "closed_to_arrival":
    case "closed_to_departure":
    case "stop_sell":
    case "not_for_sale":
      return "not sold for these dates";
    case "occupancy_exceeded":
      return "too many guests for this room";
    case "unknown_hotel":
    case "unknown_room_type":
    case "unknown_rate_plan":
      return "no longer offered";
    case "currency_mismatch":
    case "invalid_amount":
    case "invalid_card_token":
      return "check the payment details";
    case "price_changed":
      return "the price has changed";
    default: {
      const unhandled: never = reason;
      return unhandled;
    }
  }
}

function day(offset: number): string {
  const d = new Date(Date.now() + offset * 86_400_000);
  return d.toISOString().slice(0, 10);
}

// --- the flow ----------------------------------------------------------------------------------
const destinations = await client.GET("/v1/destinations", { params: { query: { q: "lis" } } });
const destination = destinations.data?.items[0] ?? fail("no destination for 'lis'");

const checkIn = day(20);
const checkOut = day(22);
const found = await client.GET("/v1/hotels", {
  params: { query: { city: destination.city, check_in: checkIn, check_out: checkOut, guests: 2 } },
});
const hotel = found.data?.items[0] ?? fail("no hotel in " + destination.city);
const priceFrom = hotel.from_price?.amount ?? "none";

const offers = await client.GET("/v1/hotels/{id}/offers", {
  params: { path: { id: hotel.id }, query: { check_in: checkIn, check_out: checkOut, guests: 2 } },
});
const roomType = offers.data?.items[0] ?? fail("no offers");
const offer = roomType.offers[0] ?? fail("no rate plan sells this stay");

const email = `strict-${Date.now()}@example.com`;
const registered = await client.POST("/v1/auth/register", {
  body: { email, password: "strict client password", name: "Strict Client" },
});
expectStatus("register", registered.response.status, 201);
const session = await client.POST("/v1/auth/login", {
  body: { email, password: "strict client password" },
});
const token = session.data?.access_token ?? fail("login failed");
const auth = { Authorization: `Bearer ${token}` };

const request = {
  hotel_id: hotel.id,
  room_type_id: roomType.room_type.id,
  rate_plan_id: offer.rate_plan.id,
  check_in: checkIn,
  check_out: checkOut,
  guests: 2,
  expected_total: offer.total,
  card_token: "tok_visa_4242",
};
const key = `strict-${Date.now()}`;
const booked = await client.POST("/v1/bookings", {
  params: { header: { "Idempotency-Key": key } },
  headers: auth,
  body: request,
});
expectStatus("book", booked.response.status, 201);
const booking: Booking = booked.data ?? fail("no booking");
const invoiceNumber: number = booking.invoice.number;
const etag = booked.response.headers.get("etag") ?? fail("no ETag on the 201");

const replay = await client.POST("/v1/bookings", {
  params: { header: { "Idempotency-Key": key } },
  headers: auth,
  body: request,
});
expectStatus("replay", replay.response.status, 201);
if (replay.data?.id !== booking.id) fail("the replay is another booking");

// A change with the version read: 200 and a new ETag; with the old one again: 412.
const changed = await client.PUT("/v1/bookings/{id}", {
  params: { path: { id: booking.id }, header: { "If-Match": etag } },
  headers: auth,
  body: { check_in: checkIn, check_out: day(21) },
});
expectStatus("modify", changed.response.status, 200);
const nights: number = changed.data?.nights ?? fail("no modified booking");
const stale = await client.PUT("/v1/bookings/{id}", {
  params: { path: { id: booking.id }, header: { "If-Match": etag } },
  headers: auth,
  body: { check_in: checkIn, check_out: day(22) },
});
expectStatus("stale If-Match", stale.response.status, 412);
const staleWhy = stale.error ? describe(stale.error) : fail("412 without a problem");

// An arrival in the past is refused with a reason.
const { expected_total: _total, ...withoutTotal } = request;
const past = await client.POST("/v1/bookings", {
  headers: auth,
  body: { ...withoutTotal, check_in: day(-3), check_out: day(-1) },
});
const pastWhy = past.error
  ? `${describe(past.error)}, told as "${tellTheGuest(past.error)}"`
  : fail(`a past stay got ${past.response.status}`);

const cancelled = await client.DELETE("/v1/bookings/{id}", {
  params: { path: { id: booking.id } },
  headers: auth,
});
expectStatus("cancel", cancelled.response.status, 200);
const fee = cancelled.data?.cancellation_fee?.amount ?? "none";
const again = await client.DELETE("/v1/bookings/{id}", {
  params: { path: { id: booking.id } },
  headers: auth,
});
expectStatus("cancel again", again.response.status, 409);
const againWhy = again.error ? describe(again.error) : fail("409 without a problem");

const mine = await client.GET("/v1/bookings", { headers: auth });
const listed = mine.data?.items.length ?? 0;

console.log(
  `strict client: ${destination.city}, ${hotel.name} from ${priceFrom}; booked ${booking.id}` +
    ` (invoice ${invoiceNumber}), ${nights} night(s) after the change; stale If-Match: ` +
    `${staleWhy}; past stay: ${pastWhy}; cancelled (fee ${fee}); again: ${againWhy}; ` +
    `${listed} listed; ${checked} responses checked against the document`,
);
if (deviations.length > 0) {
  console.error("responses that deviate from the document:\n  " + deviations.join("\n  "));
  process.exit(1);
}
