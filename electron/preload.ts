// The preload: all the page gets from Electron is the LAN bridge, a channel that carries
// network bytes to and from the main process's TCP sockets (lanBridgeProtocol), and a signal to
// lock (the machine is going to sleep or the screen locked), which carries nothing. No Node,
// no file system, no key ever crosses them.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { LOCK_CHANNEL } from './powerLock';

const CHANNEL = 'freehold:lan';

contextBridge.exposeInMainWorld('freeholdLan', {
  send: (request: unknown) => ipcRenderer.send(CHANNEL, request),
  onEvent: (listener: (event: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(CHANNEL, handler);
    return () => void ipcRenderer.removeListener(CHANNEL, handler);
  },
});

contextBridge.exposeInMainWorld('freeholdShell', {
  onLock: (listener: () => void) => {
    const handler = (): void => listener();
    ipcRenderer.on(LOCK_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(LOCK_CHANNEL, handler);
  },
});
