// The desktop workstation's pieces the shell and other features place: the layer (palette, notifications,
// print sheet), the environment strip, the offline-copy banner, the print button and the start-at-login switch.
export { WorkstationLayer } from './WorkstationLayer';
export { ViewEnvironment } from './ViewEnvironment';
export { OfflineCopyBanner } from './OfflineCopyBanner';
export { PrintRunbookButton } from './PrintRunbook';
export { StartAtLogin } from './StartAtLogin';
