import { describe, expect, it } from 'vitest';
import { transportOf } from '../../src/net/libp2pNetwork';

describe('transportOf (pure)', () => {
  it('names the way a connection travels from its remote address', () => {
    const relay = '/ip4/192.168.1.5/tcp/4002/ws/p2p/12D3KooWRelay';
    expect(transportOf('/ip4/192.168.1.5/tcp/4001/p2p/12D3KooWPeer')).toBe('tcp');
    expect(transportOf(relay)).toBe('websocket');
    expect(transportOf('/dns4/home.example/tcp/443/tls/ws')).toBe('websocket');
    expect(transportOf(`${relay}/p2p-circuit/p2p/12D3KooWPeer`)).toBe('relay');
    // A WebRTC connection set up through the relay keeps the relay in its address.
    expect(transportOf(`${relay}/p2p-circuit/webrtc/p2p/12D3KooWPeer`)).toBe('webrtc');
    expect(transportOf('/webrtc/p2p/12D3KooWPeer')).toBe('webrtc');
    expect(transportOf('/ip4/10.0.0.2/udp/4001/quic-v1')).toBe('other');
  });
});
