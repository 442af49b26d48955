// The request/response path of the Network port over real libp2p on loopback (two networks in
// this process): frames of any size up to the protocol's limit, frames checked as they arrive,
// and the caps a requester and a server put on one request.
import { afterEach, describe, expect, it } from 'vitest';
import type { Network } from '../../src/net/Network';
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
});
