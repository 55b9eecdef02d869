import type { SnError } from './errors';

// Handlers return plain response values; the server writes them (and may mangle them for faults).

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  /** Absent for 204/HEAD-style empty bodies. */
  body?: string;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(value) };
}

export function errorResponse(error: SnError): SimResponse {
  return jsonResponse(error.status, error.body(), { ...error.headers });
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): SimResponse {
  return { status, headers };
}
