/** An error's message in words, whatever was thrown. */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
