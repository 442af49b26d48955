// The request/response path of the Network port over real libp2p on loopback (two networks in
// this process): frames of any size up to the protocol's limit, frames checked as they arrive,
// and the caps a requester and a server put on one request.
import { afterEach, describe, expect, it } from 'vitest';
import type { Network, RequestHandler } from '../../src/net/Network';
import type { ServeBudgetOptions } from '../../src/net/serveBudget';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

const PROTOCOL = '/freehold/test-request/1';
const MiB = 1024 * 1024;
const LIMITS = { maxRequestBytes: 1024, maxFrameBytes: 9 * MiB };

/** A frame whose every byte depends on its position, so a frame cut or mixed up shows. */
function patterned(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('requests (real libp2p on loopback)', () => {
  const networks: Network[] = [];
  afterEach(async () => {
    for (const n of networks.splice(0)) await n.stop();
  });

  async function pair(): Promise<{ server: Network; client: Network }> {
    const server = await loopbackNetwork();
    const client = await loopbackNetwork();
    networks.push(server, client);
    await client.dial(server.addresses()[0]!);
    return { server, client };
  }

  it('A1: a served frame over 4 MiB reaches the requester intact (loopback libp2p)', async () => {
    const { server, client } = await pair();
    const big = patterned(6 * MiB, 7);
    server.serve(PROTOCOL, () => [big], LIMITS);
    const frames = await client.request(server.peerId, PROTOCOL, new Uint8Array([1]), LIMITS);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.byteLength).toBe(big.byteLength);
    expect(Buffer.from(frames[0]!).equals(Buffer.from(big))).toBe(true);
    // Serving a large frame is not the requester's fault.
    expect(server.standing(client.peerId).points).toBe(0);
  });

  it('A8: each frame is checked as it arrives, before the next one is even made', async () => {
    const { server, client } = await pair();
    let firstChecked!: () => void;
    const checkedFirst = new Promise<void>((r) => (firstChecked = r));
    // The second frame exists only once the first was checked: a requester that holds every
    // frame before checking any waits here until it times out.
    server.serve(
      PROTOCOL,
      async function* () {
        yield new Uint8Array([0]);
        await checkedFirst;
        yield new Uint8Array([1]);
        yield new Uint8Array([2]);
      },
      LIMITS,
    );
    const checked: number[] = [];
    const request = client.request(server.peerId, PROTOCOL, new Uint8Array([1]), {
      ...LIMITS,
      timeoutMs: 20_000,
      check: (frame, index) => {
        checked.push(index);
        if (index === 0) firstChecked();
        if (frame[0] === 1) throw new Error('frame 1 is bad');
      },
    });
    await expect(request).rejects.toMatchObject({ name: 'NetworkError', problem: 'invalid' });
    expect(checked).toEqual([0, 1]);
  });

  it('A1: out of time after some frames, a request returns those frames, not nothing', async () => {
    const { server, client } = await pair();
    let stop!: () => void;
    const never = new Promise<void>((r) => (stop = r));
    // Two blocks come, then the link stalls: what arrived is an answer cut short.
    server.serve(
      PROTOCOL,
      async function* () {
        yield patterned(1024, 1);
        yield patterned(1024, 2);
        await never;
      },
      LIMITS,
    );
    const frames = await client.request(server.peerId, PROTOCOL, new Uint8Array([1]), {
      ...LIMITS,
      timeoutMs: 1_500,
    });
    stop();
    expect(frames.map((f) => f[0])).toEqual([patterned(1024, 1)[0], patterned(1024, 2)[0]]);
  });

  it('a request with nothing in by its time still fails as a timeout', async () => {
    const { server, client } = await pair();
    let stop!: () => void;
    const never = new Promise<void>((r) => (stop = r));
    server.serve(
      PROTOCOL,
      async function* () {
        await never;
        yield new Uint8Array([0]);
      },
      LIMITS,
    );
    const request = client.request(server.peerId, PROTOCOL, new Uint8Array([1]), {
      ...LIMITS,
      timeoutMs: 1_000,
    });
    await expect(request).rejects.toMatchObject({ name: 'NetworkError', problem: 'timeout' });
    stop();
  });

  it('A8: a request keeps at most maxTotalBytes of frames', async () => {
    const { server, client } = await pair();
    server.serve(PROTOCOL, () => [0, 1, 2, 3].map((i) => patterned(MiB, i)), LIMITS);
    const frames = await client.request(server.peerId, PROTOCOL, new Uint8Array([1]), {
      ...LIMITS,
      maxTotalBytes: 2.5 * MiB,
    });
    expect(frames.map((f) => f[0])).toEqual([0, 1]);
    // Not even the first frame fits: nothing is kept and the request says why.
    await expect(
      client.request(server.peerId, PROTOCOL, new Uint8Array([1]), {
        ...LIMITS,
        maxTotalBytes: MiB - 1,
      }),
    ).rejects.toMatchObject({ name: 'NetworkError', problem: 'tooLarge' });
  });
});

describe('serving budgets (real libp2p on loopback, clock stopped)', () => {
  const networks: Network[] = [];
  afterEach(async () => {
    for (const n of networks.splice(0)) await n.stop();
  });

  const OPTIONS = { ...LIMITS, busyFrame: new Uint8Array([0xbb]) };
  const ROOMY = { perSecond: 1, burst: 1000 };

  /** A server whose clock never moves, so a budget spent stays spent. */
  async function server(budget: Partial<Omit<ServeBudgetOptions, 'now'>>) {
    const network = await loopbackNetwork([], {
      now: () => 1_000_000,
      serveBudget: {
        peerRequests: ROOMY,
        peerBytes: { perSecond: 1, burst: 100 * MiB },
        requests: ROOMY,
        bytes: { perSecond: 1, burst: 100 * MiB },
        peerMaxActive: 10,
        maxActive: 10,
        ...budget,
      },
    });
    networks.push(network);
    let calls = 0;
    const handler: RequestHandler = function* () {
      calls++;
      for (let i = 0; i < 4; i++) yield patterned(MiB, i);
    };
    network.serve(PROTOCOL, handler, OPTIONS);
    return { network, calls: () => calls };
  }

  async function client(to: Network): Promise<Network> {
    const network = await loopbackNetwork();
    networks.push(network);
    await network.dial(to.addresses()[0]!);
    return network;
  }

  /** The answer's frames as plain arrays: what the requester got, whatever the buffer type. */
  const ask = async (from: Network, to: Network): Promise<number[][]> =>
    (await from.request(to.peerId, PROTOCOL, new Uint8Array([1]), LIMITS)).map((f) =>
      Array.from(f.subarray(0, 1)),
    );

  it('A8: a peer over its request budget gets the busy frame, and the handler is not run', async () => {
    const s = await server({ peerRequests: { perSecond: 1, burst: 2 } });
    const c = await client(s.network);
    expect(await ask(c, s.network)).toHaveLength(4);
    expect(await ask(c, s.network)).toHaveLength(4);
    expect(await ask(c, s.network)).toEqual([[0xbb]]);
    expect(s.calls()).toBe(2);
    expect(s.network.standing(c.peerId).points).toBeGreaterThan(0);
  });

  it('A8: an answer stops at the frame that spends the peer byte budget', async () => {
    const s = await server({ peerBytes: { perSecond: 1, burst: 1.5 * MiB } });
    const c = await client(s.network);
    expect(await ask(c, s.network)).toHaveLength(2);
    // In debt now: the next request is refused before the handler runs.
    expect(await ask(c, s.network)).toEqual([[0xbb]]);
    expect(s.calls()).toBe(1);
  });

  it('A8: the global budget holds across peers, so new peer ids do not multiply it', async () => {
    const s = await server({ requests: { perSecond: 1, burst: 3 } });
    const a = await client(s.network);
    const b = await client(s.network);
    for (let i = 0; i < 3; i++) expect(await ask(a, s.network)).toHaveLength(4);
    expect(await ask(b, s.network)).toEqual([[0xbb]]);
    expect(s.calls()).toBe(3);
    // b is not to blame for what a spent.
    expect(s.network.standing(b.peerId).points).toBe(0);
  });

  it('A8: the global byte budget holds across peers', async () => {
    const s = await server({ bytes: { perSecond: 1, burst: 2.5 * MiB } });
    const a = await client(s.network);
    const b = await client(s.network);
    expect(await ask(a, s.network)).toHaveLength(3);
    expect(await ask(b, s.network)).toEqual([[0xbb]]);
  });

  it('A8: a peer that holds its answers open gets no more at once', async () => {
    const s = await loopbackNetwork([], {
      now: () => 1_000_000,
      serveBudget: { peerMaxActive: 1, maxActive: 10 },
    });
    networks.push(s);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let calls = 0;
    s.serve(
      PROTOCOL,
      async function* () {
        if (calls++ === 0) await released; // the first answer stays under way until told
        yield new Uint8Array([1]);
      },
      OPTIONS,
    );
    const c = await client(s);
    const first = ask(c, s);
    await expect.poll(() => calls).toBe(1);
    expect(await ask(c, s)).toEqual([[0xbb]]);
    release();
    expect(await first).toEqual([[1]]);
    expect(await ask(c, s)).toEqual([[1]]);
    expect(calls).toBe(2);
  });
});
