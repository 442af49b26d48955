// A LAN scope for tests on one machine: the bridge may dial and listen on loopback only. The
// app's own scope refuses loopback; tests need it because they have no LAN.
import type { LanScope } from '../../electron/lanScope';

export const loopbackLanScope: LanScope = {
  dialable: (host) => host === '127.0.0.1',
  listenHosts: () => ['127.0.0.1'],
};
