/**
 * @module ed25519 — signing and the one verification rule every Freehold node applies.
 *
 * Consensus needs every node to reach the same verdict on every signature, but RFC 8032
 * §5.1.7 leaves room (cofactored or cofactorless equation, encodings, small-order keys) and
 * implementations differ (see "Taming the many EdDSAs", Chalkias et al. 2020). Freehold's rule:
 *   1. S must be canonical: 0 ≤ S < L.
 *   2. A must be a canonical encoding (y < p; no "negative zero") of a point not of small order.
 *   3. Cofactorless equation on bytes: encode([S]B − [k]A) must equal the R bytes, with
 *      k = SHA-512(R ‖ A ‖ M) mod L. A non-canonical R therefore never verifies.
 * This is what OpenSSL and BoringSSL's Ed25519 (behind WebCrypto in Node and Chromium) compute
 * once rules 1–2 are checked first, so the native path and the noble-only path agree; the
 * tests hold both to the RFC 8032 vectors and the speccheck edge cases.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesKey, concatBytes, equalBytes } from './bytes';

export const PUBLIC_KEY_LENGTH = 32;
export const SECRET_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;

type Point = ReturnType<typeof ed25519.Point.fromBytes>;

const { Point } = ed25519;
const L = Point.Fn.ORDER;

export function getPublicKey(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}

export function sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed25519.sign(message, secretKey);
}

/** Rule 1: S < L, read little-endian from the signature's second half. */
function hasCanonicalS(signature: Uint8Array): boolean {
  return bytesToNumberLE(signature.subarray(32, 64)) < L;
}

/**
 * Decoded public keys that pass rule 2, or null for rejected ones. Validator sets are small and
 * stable, so the square root in decoding is paid once per key, not once per signature.
 */
const keyCache = new Map<string, Point | null>();
const KEY_CACHE_LIMIT = 4096;

/**
 * Keys that verify often (validators) get a precomputed multiplication table: about a sixth of
 * the cost of [k]A. Tables take memory, so only the first few keys seen repeatedly get one.
 */
const uses = new Map<string, number>();
const tables = new Map<string, Point>();
const TABLE_LIMIT = 64;
const TABLE_AFTER_USES = 8;

function multiplier(id: string, A: Point): Point {
  const table = tables.get(id);
  if (table) return table;
  const n = (uses.get(id) ?? 0) + 1;
  if (n >= TABLE_AFTER_USES && tables.size < TABLE_LIMIT) {
    const precomputed = A.precompute(8, false);
    tables.set(id, precomputed);
    uses.delete(id);
    return precomputed;
  }
  if (uses.size >= KEY_CACHE_LIMIT) uses.clear();
  uses.set(id, n);
  return A;
}

function acceptedPublicKey(publicKey: Uint8Array): Point | null {
  const id = bytesKey(publicKey);
  const cached = keyCache.get(id);
  if (cached !== undefined) return cached;
  let point: Point | null;
  try {
    // zip215 = false: strict RFC 8032 decoding, y < p and no x = 0 with the sign bit set.
    const decoded = Point.fromBytes(publicKey, false);
    point = decoded.isSmallOrder() ? null : decoded;
  } catch {
    point = null;
  }
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(id, point);
  return point;
}

function wellFormed(signature: Uint8Array, publicKey: Uint8Array): boolean {
  return (
    signature instanceof Uint8Array &&
    publicKey instanceof Uint8Array &&
    signature.length === SIGNATURE_LENGTH &&
    publicKey.length === PUBLIC_KEY_LENGTH
  );
}

/** True when `publicKey` can ever verify under the rule (rule 2): worth checking at the door. */
export function isAcceptedPublicKey(publicKey: Uint8Array): boolean {
  return (
    publicKey instanceof Uint8Array &&
    publicKey.length === PUBLIC_KEY_LENGTH &&
    acceptedPublicKey(publicKey) !== null
  );
}

/** The rule's cheap conditions (1 and 2), run before any backend. */
export function passesPrechecks(signature: Uint8Array, publicKey: Uint8Array): boolean {
  return (
    wellFormed(signature, publicKey) &&
    hasCanonicalS(signature) &&
    acceptedPublicKey(publicKey) !== null
  );
}

/** Freehold's rule computed with noble alone: synchronous, runs everywhere. */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!wellFormed(signature, publicKey) || !hasCanonicalS(signature)) return false;
  const A = acceptedPublicKey(publicKey);
  if (A === null) return false;
  const R = signature.subarray(0, 32);
  const S = bytesToNumberLE(signature.subarray(32, 64));
  const k = bytesToNumberLE(sha512(concatBytes(R, publicKey, message))) % L;
  try {
    // RFC 8032 §5.1.7 step 3, cofactorless form: [S]B = R + [k]A, compared as encodings.
    const kA = multiplier(bytesKey(publicKey), A).multiplyUnsafe(k);
    const check = Point.BASE.multiplyUnsafe(S).subtract(kA);
    return equalBytes(check.toBytes(), R);
  } catch {
    return false;
  }
}

/** One signature to check. */
export interface SignatureItem {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

/** Checks many signatures; the verdict for each is exactly `verify`'s. */
export interface BatchVerifier {
  readonly name: string;
  verifyBatch(items: readonly SignatureItem[]): Promise<boolean[]>;
}

export const nobleVerifier: BatchVerifier = {
  name: 'noble',
  verifyBatch(items) {
    return Promise.resolve(items.map((i) => verify(i.signature, i.message, i.publicKey)));
  },
};

/**
 * The runtime's native Ed25519 (WebCrypto: OpenSSL in Node, BoringSSL in Chromium) behind the
 * same prechecks. Returns undefined where the runtime lacks Ed25519 in WebCrypto.
 */
export async function createWebCryptoVerifier(
  subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle,
): Promise<BatchVerifier | undefined> {
  if (!subtle) return undefined;
  const keys = new Map<string, Promise<CryptoKey>>();
  const importKey = (publicKey: Uint8Array): Promise<CryptoKey> => {
    const id = bytesKey(publicKey);
    let key = keys.get(id);
    if (!key) {
      if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
      key = subtle.importKey('raw', publicKey.slice(), { name: 'Ed25519' }, false, ['verify']);
      keys.set(id, key);
    }
    return key;
  };
  try {
    // Probe with RFC 8032 §7.1 TEST 1's key so a runtime without Ed25519 falls back cleanly.
    const probe = ed25519.getPublicKey(new Uint8Array(32).fill(1));
    await importKey(probe);
  } catch {
    return undefined;
  }
  return {
    name: 'webcrypto',
    verifyBatch(items) {
      return Promise.all(
        items.map(async ({ signature, message, publicKey }) => {
          if (!passesPrechecks(signature, publicKey)) return false;
          try {
            const key = await importKey(publicKey);
            return await subtle.verify(
              { name: 'Ed25519' },
              key,
              signature.slice(),
              message.slice(),
            );
          } catch {
            return false;
          }
        }),
      );
    },
  };
}
