// The one place the page touches the WebAssembly module. Everything else
// imports from here, so the single-file build (wasm inlined as base64) and
// the hosted site (pkg/ fetched) differ in this file only.
import init, * as wasm from "../pkg/cavra_web.js";

let ready = null;

function inlinedWasm() {
  const base64 = globalThis.CAVRA_WASM_BASE64;
  if (typeof base64 !== "string") return null;
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Loads the engine once; resolves to the wasm-bindgen exports. */
export function loadEngine() {
  if (!ready) {
    const bytes = inlinedWasm();
    ready = init(bytes ? { module_or_path: bytes } : undefined).then(() => wasm);
  }
  return ready;
}

/** The wasm exports, once `loadEngine()` has resolved. */
export const cavra = wasm;

/** The message of anything the engine threw. */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
