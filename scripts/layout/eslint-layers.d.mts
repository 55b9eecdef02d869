// Types for the test that proves every message of the rule (the rule itself is plain JavaScript for ESLint).
declare const plugin: { rules: { layers: { meta: { messages: Record<string, string> } } } };
export default plugin;
export function roomOf(p: string): { tree: string; room: string; cap?: string } | null;
export function refusal(fromPath: string, toPath: string, typeOnly: boolean): string | null;
export const PACKAGES: Record<string, { packages: string[]; node: boolean }>;
