// The service context as other features use it: one panel of related items, one "open incident" button.
export { ContextPanel, OpenIncidentButton } from './ContextPanel';
export { useRelatedEntries } from './use-related-entries';
export type { RelatedEntry, RelatedSection } from './use-related-entries';
