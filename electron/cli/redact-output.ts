// The CLI's edge: every byte the command writes to stdout and stderr passes one redaction pass that knows the
// secrets this process has used. Commands print remote words in many places (a table cell, a job's output, a
// warning, an error); wrapping the two streams once means a new print cannot forget it.

type Write = typeof process.stdout.write;

/**
 * Wraps the streams' write so each chunk is scrubbed; returns a function that puts the originals back. A
 * secret split across two writes is not caught: every command writes whole lines.
 */
export function redactStreams(
  redact: (text: string) => string,
  streams: NodeJS.WriteStream[] = [process.stdout, process.stderr],
): () => void {
  const originals = streams.map((s) => s.write);
  streams.forEach((stream, i) => {
    const original = originals[i] as Write;
    const wrapped = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      let out = chunk;
      if (typeof chunk === 'string') out = redact(chunk);
      else if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
        const scrubbed = redact(text);
        if (scrubbed !== text) out = scrubbed;
      }
      return (original as (...a: unknown[]) => boolean).call(this, out, ...rest);
    };
    stream.write = wrapped as Write;
  });
  return () =>
    streams.forEach((stream, i) => {
      stream.write = originals[i] as Write;
    });
}
