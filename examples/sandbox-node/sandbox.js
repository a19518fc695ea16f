// A few lines of fetch are all a test suite in Node needs to drive the
// API and the sandbox's control API. No SDK, no dependency.

const base = process.env.DRONLINE_BASE_URL ?? "http://127.0.0.1:12111/v1";
const key = process.env.DRONLINE_API_KEY;
// The control API lives next to /v1, at the same origin.
const origin = new URL(base).origin;

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
export function api(path, options = {}) {
  return call(base + path, { ...options, headers: { Authorization: `Bearer ${key}`, ...options.headers } });
}

// sandbox calls the control API (open on loopback without a token).
export function sandbox(path, options = {}) {
  const token = process.env.DRONLINE_CONTROL_TOKEN;
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  return call(origin + "/_sandbox" + path, { ...options, headers: { ...auth, ...options.headers } });
}
