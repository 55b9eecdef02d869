import { contextBridge, ipcRenderer } from 'electron';
import { createIpcBridge } from './ipc-client';

// The whole preload: one object, `window.toc`, implementing the contract's TocBridge over IPC. Nothing else is
// exposed (Electron security checklist #20). This file is bundled to CommonJS and runs sandboxed.

contextBridge.exposeInMainWorld('toc', createIpcBridge(ipcRenderer));
