// A few lines of fetch are all a test suite in Node needs to drive the
// API and the sandbox's control API. No SDK, no dependency.
//
// The comments in /** */ type sandbox() by the control API's own
// document; Node ignores them. Generate the types it names once the mock
// runs (README.md), and an editor or `tsc --checkJs --strict` checks each
// call's path, method and body, and knows each answer's body by status:
//
//   npx openapi-typescript http://127.0.0.1:12111/_sandbox/openapi.json -o sandbox-control.d.ts
//
// `make lint-spec` does so and checks booking.test.js against them.

const base = process.env.DRONLINE_BASE_URL ?? "http://127.0.0.1:12111/v1";
const key = process.env.DRONLINE_API_KEY;
// The control API lives next to /v1, at the same origin.
const origin = new URL(base).origin;

/**
 * @param {string} url
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<any>} the status, the headers and the body's JSON, as
 *   the caller's type says: api() does not type it, sandbox() as the
 *   document does
 */
async function call(url, { method = "GET", body, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: { ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

// api calls the Connected API with the sandbox key.
/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ status: number, headers: Headers, body: any }>}
 */
export function api(path, options = {}) {
  return call(base + path, { ...options, headers: { Authorization: `Bearer ${key}`, ...options.headers } });
}

/**
 * The control API's paths, relative to /_sandbox.
 * @typedef {import("./sandbox-control").paths} Paths
 * @typedef {{ [P in keyof Paths as P extends `/_sandbox${infer R}` ? R : never]: Paths[P] }} Routes
 * @typedef {"get" | "post" | "put" | "patch" | "delete"} Verb
 */
/**
 * The methods route P takes, upper case.
 * @template {keyof Routes} P
 * @typedef {{ [V in Verb]: undefined extends Routes[P][V] ? never : Uppercase<V> }[Verb]} Method
 */
/**
 * The operation of method M on route P.
 * @template {keyof Routes} P
 * @template {string} M
 * @typedef {Routes[P][Lowercase<M> & Verb]} Operation
 */
/**
 * The options of a call of operation O: a body where the document takes one.
 * @template {string} M
 * @template O
 * @typedef {{ method: M, headers?: Record<string, string> } & (
 *   O extends { requestBody?: never } ? { body?: undefined }
 *   : O extends { requestBody: { content: { "application/json": infer B } } } ? { body: B }
 *   : O extends { requestBody?: { content: { "application/json": infer B } } } ? { body?: B }
 *   : never)} Options
 */
/**
 * What operation O answers: for each status the document lists, its body.
 * @template O
 * @typedef {O extends { responses: infer R } ? { [S in keyof R]: {
 *   status: S, headers: Headers,
 *   body: R[S] extends { content: { "application/json": infer B } } ? B : null } }[keyof R] : never} Answer
 */

/**
 * sandbox calls the control API (open on loopback without a token): GET
 * with a path alone, any method the path takes with options.
 * @template {{ [R in keyof Routes]: "GET" extends Method<R> ? R : never }[keyof Routes]} G
 * @overload
 * @param {G | `${G}?${string}`} path
 * @returns {Promise<Answer<Operation<G, "GET">>>}
 */
/**
 * @template {keyof Routes} P
 * @template {Method<P>} M
 * @overload
 * @param {P | `${P}?${string}`} path
 * @param {Options<M, Operation<P, M>>} options
 * @returns {Promise<Answer<Operation<P, M>>>}
 */
/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown, headers?: Record<string, string> }} [options]
 */
export function sandbox(path, options = {}) {
  const token = process.env.DRONLINE_CONTROL_TOKEN;
  /** @type {Record<string, string>} */
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  return call(origin + "/_sandbox" + path, { ...options, headers: { ...auth, ...options.headers } });
}
