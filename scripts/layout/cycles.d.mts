// Types for tests of the cycle counter (the counter itself is plain JavaScript run by node).
export function findCycles(sources: Map<string, string>): string[][];
