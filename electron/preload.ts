// The preload: the only thing the page gets from Electron is the LAN bridge, a channel that
// carries network bytes to and from the main process's TCP sockets (lanBridgeProtocol). No
// Node, no file system, no key ever crosses it.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CHANNEL = 'freehold:lan';

contextBridge.exposeInMainWorld('freeholdLan', {
  send: (request: unknown) => ipcRenderer.send(CHANNEL, request),
  onEvent: (listener: (event: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(CHANNEL, handler);
    return () => void ipcRenderer.removeListener(CHANNEL, handler);
  },
});
