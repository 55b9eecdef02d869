// The service context as other features use it: one panel of related items, one "open incident" button.
export { ContextPanel, OpenIncidentButton } from './ContextPanel';
