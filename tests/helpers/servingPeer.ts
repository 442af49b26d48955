// A peer that serves a prepared chain through the sync protocol (head and blocks), over real
// libp2p on loopback: what catch-up tests and benches join from.
import type { Block, CommitCertificate } from '../../src/chain/block';
import type { Network } from '../../src/net/Network';
import {
  answers,
  MAX_FRAME_BYTES,
  MAX_REQUEST_BYTES,
  readSyncRequest,
  SYNC_PROTOCOL,
} from '../../src/node/syncProtocol';
import { loopbackNetwork } from './loopbackNetwork';

/** Serves `blocks[h - 1]` with `certificates[h - 1]` as height h; its head is the last. */
export async function servingPeer(
  blocks: readonly Block[],
  certificates: readonly CommitCertificate[],
): Promise<Network> {
  const network = await loopbackNetwork();
  network.serve(
    SYNC_PROTOCOL,
    function* (bytes) {
      const request = readSyncRequest(bytes);
      const top = blocks.length;
      if (request.kind === 'head') {
        yield answers.head({
          height: top,
          header: blocks[top - 1]!.header,
          certificate: certificates[top - 1]!,
        });
      } else if (request.kind === 'blocks') {
        for (let h = request.from; h <= Math.min(request.to, top); h++)
          yield answers.block({ block: blocks[h - 1]!, certificate: certificates[h - 1]! });
      }
    },
    { maxRequestBytes: MAX_REQUEST_BYTES, maxFrameBytes: MAX_FRAME_BYTES },
  );
  return network;
}
