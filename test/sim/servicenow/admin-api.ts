import { z } from 'zod';
import { faultConfigSchema } from './faults';
import { jsonResponse } from './http-response';
import type { SimResponse } from './http-response';
import type { SnowSim } from './sim-types';
import { formatGlideDateTime } from './time-format';

// /__sim/*: control endpoints for out-of-process users (the CLI-started sim in benchmarks and e2e runs).
// Not part of ServiceNow; never authenticated, never faulted, never logged.

const touchSchema = z.object({ count: z.number().int().nonnegative(), workNote: z.string().optional() });
const addSchema = z.object({ fields: z.record(z.string(), z.string()).optional() });
const closeSchema = z.object({
  ref: z.string().min(1),
  state: z.enum(['6', '7']).optional(),
  closeCode: z.string().optional(),
  closeNotes: z.string().optional(),
});
const timeSchema = z.object({ advanceMs: z.number().int() });
const rateSchema = z.object({ limit: z.number().int().positive(), windowSeconds: z.number().int().positive().optional() }).nullable();
const aclSchema = z
  .object({
    hiddenFields: z.record(z.string(), z.array(z.string())).optional(),
    hiddenRows: z.record(z.string(), z.string()).optional(),
    readOnlyRows: z.record(z.string(), z.string()).optional(),
    readOnlyTables: z.array(z.string()).optional(),
    deniedTables: z.array(z.string()).optional(),
  })
  .nullable();

const bad = (message: string): SimResponse => jsonResponse(400, { error: message });

function parse<T>(schema: z.ZodType<T>, body: unknown): T | SimResponse {
  const r = schema.safeParse(body);
  return r.success ? r.data : bad(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}

const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && 'status' in v && 'headers' in v;

export function handleAdmin(sim: SnowSim, method: string, path: string, body: unknown): SimResponse {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /__sim/health': {
        const tables: Record<string, number> = {};
        for (const [name, t] of sim.db.tables) tables[name] = t.size;
        return jsonResponse(200, { status: 'ok', url: sim.url, now: formatGlideDateTime(sim.now()), fault: sim.currentFault(), tables });
      }
      case 'GET /__sim/fault':
        return jsonResponse(200, { fault: sim.currentFault() });
      case 'POST /__sim/fault': {
        const cfg = parse(faultConfigSchema, body);
        if (isResponse(cfg)) return cfg;
        sim.setFault(cfg);
        return jsonResponse(200, { fault: sim.currentFault() });
      }
      case 'POST /__sim/touch': {
        const req = parse(touchSchema, body);
        if (isResponse(req)) return req;
        return jsonResponse(200, { touched: sim.touchIncidents(req.count, req.workNote !== undefined ? { workNote: req.workNote } : {}) });
      }
      case 'POST /__sim/incidents': {
        const req = parse(addSchema, body ?? {});
        if (isResponse(req)) return req;
        return jsonResponse(201, { result: sim.addIncident(req.fields ?? {}) });
      }
      case 'POST /__sim/close': {
        const req = parse(closeSchema, body);
        if (isResponse(req)) return req;
        const opts = {
          ...(req.state !== undefined ? { state: req.state } : {}),
          ...(req.closeCode !== undefined ? { closeCode: req.closeCode } : {}),
          ...(req.closeNotes !== undefined ? { closeNotes: req.closeNotes } : {}),
        };
        return jsonResponse(200, { result: sim.closeIncident(req.ref, opts) });
      }
      case 'POST /__sim/time': {
        const req = parse(timeSchema, body);
        if (isResponse(req)) return req;
        sim.advanceTime(req.advanceMs);
        return jsonResponse(200, { now: formatGlideDateTime(sim.now()) });
      }
      case 'POST /__sim/tokens/expire':
        sim.expireTokens();
        return jsonResponse(200, { ok: true });
      case 'POST /__sim/tokens/revoke':
        sim.revokeTokens();
        return jsonResponse(200, { ok: true });
      case 'POST /__sim/rate-limit': {
        const req = parse(rateSchema, body);
        if (isResponse(req)) return req;
        sim.setRateLimit(req ?? undefined);
        return jsonResponse(200, { ok: true });
      }
      case 'POST /__sim/acl': {
        const req = parse(aclSchema, body);
        if (isResponse(req)) return req;
        sim.setAcl(req ?? undefined);
        return jsonResponse(200, { ok: true });
      }
      case 'GET /__sim/requests':
        return jsonResponse(200, { requests: sim.requests });
      case 'DELETE /__sim/requests':
        sim.clearRequests();
        return jsonResponse(200, { ok: true });
      default:
        return jsonResponse(404, { error: `no admin route ${route}` });
    }
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
}
