// Ed25519 verification: noble alone and through WebCrypto, same signatures, same run.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '../../src/crypto/hash';
import {
  createWebCryptoVerifier,
  nobleVerifier,
  type SignatureItem,
} from '../../src/crypto/ed25519';
import { utf8ToBytes } from '../../src/crypto/bytes';
import { report, round } from './report';

function items(keys: number, perKey: number): SignatureItem[] {
  const out: SignatureItem[] = [];
  for (let k = 0; k < keys; k++) {
    const secret = sha256(utf8ToBytes(`bench key ${k}`));
    const publicKey = ed25519.getPublicKey(secret);
    for (let m = 0; m < perKey; m++) {
      const message = sha256(utf8ToBytes(`message ${k}/${m}`));
      out.push({ signature: ed25519.sign(message, secret), message, publicKey });
    }
  }
  return out;
}

async function opsPerSecond(run: () => Promise<boolean[]>, count: number): Promise<number> {
  await run(); // warm caches and JIT
  const start = performance.now();
  const verdicts = await run();
  const seconds = (performance.now() - start) / 1000;
  if (verdicts.length !== count || !verdicts.every(Boolean))
    throw new Error('a valid signature failed to verify');
  return count / seconds;
}

export async function cryptoBenches(): Promise<void> {
  const set = items(21, 100);
  const noble = await opsPerSecond(() => nobleVerifier.verifyBatch(set), set.length);
  report({
    bench: 'ed25519.verify.noble',
    value: round(noble),
    unit: 'ops/s',
    signatures: set.length,
    keys: 21,
  });
  const native = await createWebCryptoVerifier();
  if (!native) {
    report({
      bench: 'ed25519.verify.webcrypto',
      value: 0,
      unit: 'ops/s',
      note: 'runtime has no Ed25519 in WebCrypto',
    });
    return;
  }
  const webcrypto = await opsPerSecond(() => native.verifyBatch(set), set.length);
  report({
    bench: 'ed25519.verify.webcrypto',
    value: round(webcrypto),
    unit: 'ops/s',
    signatures: set.length,
    keys: 21,
    ratio_vs_noble: round(webcrypto / noble, 2),
    runtime: `node ${process.versions.node}`,
  });
}
