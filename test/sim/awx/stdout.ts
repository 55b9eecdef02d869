// `GET /jobs/N/stdout/?format=…`: AWX assembles the text from the saved events (those with output, in
// start_line order, `\r\n` turned into `\n`, one newline after each), refuses every display format above
// STDOUT_MAX_BYTES_DISPLAY with a 200 sentence, and streams the download formats whatever their size.
import { Readable } from 'node:stream';
import { stripAnsi } from './ansi';
import { badRequest, type Reply } from './http-kit';
import type { SimState } from './state';
import type { SimJob } from './types';

const FORMATS = new Set(['txt', 'ansi', 'json', 'html', 'txt_download', 'ansi_download', 'api']);

function eventsWithOutput(state: SimState, job: SimJob): string[] {
  return state
    .eventsOf(job.id)
    .filter((e) => e.stdout !== '')
    .map((e) => e.stdout);
}

export function assembleStdout(state: SimState, job: SimJob): string {
  return eventsWithOutput(state, job)
    .map((s) => `${s.replaceAll('\r\n', '\n')}\n`)
    .join('');
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** The size AWX compares with the limit: SUM(LENGTH(stdout)) over the events, in characters. */
export function stdoutSize(job: SimJob): number {
  let total = 0;
  for (const e of job.events) {
    total += e.stdout.length - (e.stdout.match(SURROGATE_PAIR) ?? []).length;
  }
  return total;
}

function linesOf(text: string): string[] {
  // Python readlines(): every line keeps its newline.
  const out: string[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

function lineRange(text: string, query: URLSearchParams): { content: string; start: number; end: number; absoluteEnd: number } {
  const lines = linesOf(text);
  const parseLine = (name: string, fallback: number | null): number | null => {
    const raw = query.get(name);
    if (raw === null || raw === '') return fallback;
    if (!/^-?\d+$/.test(raw)) throw badRequest({ detail: `invalid literal for int() with base 10: '${raw}'` });
    return Number(raw);
  };
  const startLine = parseLine('start_line', 0) ?? 0;
  const endLine = parseLine('end_line', null);
  const total = lines.length;
  // Python slice semantics, negative start counts from the end.
  const from = startLine < 0 ? Math.max(0, total + startLine) : Math.min(startLine, total);
  const to = endLine === null ? total : endLine < 0 ? Math.max(0, total + endLine) : Math.min(endLine, total);
  const content = lines.slice(from, Math.max(from, to)).join('');
  const start = startLine < 0 ? total + startLine : startLine;
  const end = startLine < 0 ? total : endLine === null ? total : Math.min(endLine, total);
  return { content, start, end, absoluteEnd: total };
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;');
}

function htmlPage(title: string, body: string, dark: boolean): string {
  const colours = dark ? 'background:#000;color:#fff' : 'background:#f5f5f5;color:#161b1f';
  return `<!DOCTYPE HTML>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n<style>body{${colours}} pre{white-space:pre-wrap}</style>\n</head>\n<body>\n<pre>${body}</pre>\n</body>\n</html>`;
}

export function stdoutReply(state: SimState, job: SimJob, query: URLSearchParams): Reply {
  const format = query.get('format') ?? 'api';
  if (!FORMATS.has(format)) {
    return { status: 404, json: { detail: 'Not found.' } };
  }
  if (format === 'txt_download' || format === 'ansi_download') {
    const suffix = format === 'ansi_download' ? '.ansi' : '';
    const parts = eventsWithOutput(state, job);
    // Streamed, never refused: downloads have no size limit.
    const chunks = (function* (): Generator<string> {
      for (const part of parts) {
        const text = `${part.replaceAll('\r\n', '\n')}\n`;
        yield format === 'txt_download' ? stripAnsi(text) : text;
      }
    })();
    return {
      status: 200,
      stream: Readable.from(chunks),
      contentType: 'text/plain',
      headers: { 'Content-Disposition': `attachment; filename="job_${job.id}${suffix}.txt"` },
    };
  }

  const limit = state.limits.stdoutMaxBytesDisplay;
  const size = stdoutSize(job);
  if (size > limit) {
    const message = `Standard Output too large to display (${size} bytes), only download supported for sizes over ${limit} bytes.`;
    if (format === 'json') {
      return { status: 200, json: { range: { start: 0, end: 1, absolute_end: 1 }, content: message } };
    }
    return { status: 200, text: message, contentType: format === 'html' || format === 'api' ? 'text/html' : 'text/plain' };
  }

  const text = assembleStdout(state, job);
  switch (format) {
    case 'txt':
      return { status: 200, text: stripAnsi(text), contentType: 'text/plain' };
    case 'ansi':
      return { status: 200, text, contentType: 'text/plain' };
    case 'json': {
      const range = lineRange(text, query);
      const content = query.get('content_encoding') === 'base64' ? Buffer.from(range.content, 'utf8').toString('base64') : range.content;
      return {
        status: 200,
        json: { range: { start: range.start, end: range.end, absolute_end: range.absoluteEnd }, content },
      };
    }
    default: {
      const range = lineRange(text, query);
      const dark = /^[1ty]/i.test(query.get('dark') ?? '');
      return {
        status: 200,
        text: htmlPage('Job Stdout', escapeHtml(stripAnsi(range.content)), dark || query.get('dark') === null),
        contentType: 'text/html',
      };
    }
  }
}
