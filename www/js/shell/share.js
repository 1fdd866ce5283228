// Share links: the policy and the actions packed into the URL fragment
// (#s=1.<base64url of deflate-raw JSON>), so a link reproduces a session
// with no server. The fragment never reaches a server. Imports are
// validated: a bad or hostile link is refused with a message, never half-applied.
export const SHARE_VERSION = 1;
const MAX_JSON_BYTES = 512 * 1024;
const MAX_ACTIONS = 1000;

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("the link's data is not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  const reader = out.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_JSON_BYTES) {
      reader.cancel();
      throw new Error(`the link holds more than ${MAX_JSON_BYTES / 1024} KiB of data`);
    }
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

/** `{policy: {packId, text|null}, mode, actions}` -> the fragment `s=1.<data>`. */
export async function encodeShare(state) {
  const json = new TextEncoder().encode(JSON.stringify({ v: SHARE_VERSION, ...state }));
  const packed = await pipe(json, new CompressionStream("deflate-raw"));
  return `s=${SHARE_VERSION}.${toBase64Url(packed)}`;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The fragment (without '#') -> validated state; throws a sentence saying what is wrong. */
export async function decodeShare(fragment) {
  const match = /^s=(\d+)\.(.*)$/s.exec(fragment);
  check(match, "not a CAVRA share link");
  check(Number(match[1]) === SHARE_VERSION, `share link version ${match[1]} is not supported (this sandbox reads version ${SHARE_VERSION})`);
  let state;
  try {
    const json = await pipe(fromBase64Url(match[2]), new DecompressionStream("deflate-raw"));
    state = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (error) {
    throw new Error(`the share link is damaged (${error.message})`);
  }
  check(state && typeof state === "object" && !Array.isArray(state), "the share link holds no session");
  check(state.v === SHARE_VERSION, "the share link's version does not match its data");
  const policy = state.policy;
  check(policy && typeof policy.packId === "string" && policy.packId.length < 200, "the share link names no policy pack");
  check(policy.text === null || policy.text === undefined || typeof policy.text === "string", "the share link's policy text is not text");
  check(Array.isArray(state.actions) && state.actions.length <= MAX_ACTIONS, `the share link's actions must be a list of at most ${MAX_ACTIONS}`);
  for (const [n, action] of state.actions.entries()) {
    check(action && typeof action === "object" && !Array.isArray(action) && typeof action.type === "string", `action ${n + 1} in the share link has no type`);
  }
  check(state.mode === undefined || typeof state.mode === "string", "the share link's mode is not text");
  return { policy: { packId: policy.packId, text: policy.text ?? null }, mode: state.mode, actions: state.actions };
}
