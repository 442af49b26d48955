// State-root update: 1,000 changed keys in a state of 100,000.
import { SparseMerkleTree } from '../../src/chain/sparseMerkleTree';
import { sha256 } from '../../src/crypto/hash';
import { median, report, round } from './report';

function key(i: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, i);
  return sha256(b);
}

export function stateRootBenches(): void {
  const size = 100_000;
  const changed = 1_000;
  const keys = Array.from({ length: size }, (_, i) => key(i));
  const tree = new SparseMerkleTree();
  const start = performance.now();
  tree.update(keys.map((k) => ({ key: k, valueHash: sha256(k) })));
  const buildMs = performance.now() - start;
  tree.takeNewNodes();
  const times: number[] = [];
  for (let run = 0; run < 15; run++) {
    const changes = Array.from({ length: changed }, (_, i) => ({
      key: keys[(i * 7919 + run * 104_729) % size]!,
      valueHash: sha256(new Uint8Array([run, i & 255, i >> 8])),
    }));
    const t0 = performance.now();
    tree.update(changes);
    times.push(performance.now() - t0);
    tree.takeNewNodes();
  }
  report({
    bench: 'state.root.update',
    value: round(median(times.slice(5))),
    unit: 'ms',
    keys: size,
    changed,
    runs: 10,
    warmup: 5,
    build_100k_ms: round(buildMs),
    target_ms: 100,
  });
}
