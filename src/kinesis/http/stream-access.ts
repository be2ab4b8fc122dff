/**
 * Which streams an access key may read. A key lists the streams it is granted by name or by ARN
 * (`["*"]` for every stream); a request may name its stream either way, so both are resolved
 * through the catalog before comparing. Checked before the request is validated or the stream
 * looked up, as AWS checks IAM first: a key that may not read a stream learns nothing about it,
 * not even whether it exists.
 */
import type { ResolvedCatalog } from '../catalog.js';

/** The grant every stream matches. */
export const ALL_STREAMS = '*';

/** A key's grant: stream names and/or ARNs, or `*`. */
export interface StreamGrant {
  readonly streams: readonly string[];
}

/**
 * Why `grant` may not read the stream(s) the request names, or `undefined` when it may. Only the
 * members that are strings are considered: a request that names no stream (or names it with
 * something other than a string) is left for validation to refuse.
 */
export function streamAccessDenial(
  grant: StreamGrant,
  request: { readonly StreamName?: unknown; readonly StreamARN?: unknown },
  catalog: ResolvedCatalog,
): string | undefined {
  if (grant.streams.includes(ALL_STREAMS)) return undefined;
  const allowed = new Set(grant.streams);
  const refs: Array<{ name?: string; arn?: string }> = [];
  if (typeof request.StreamName === 'string') refs.push({ name: request.StreamName });
  if (typeof request.StreamARN === 'string') refs.push({ arn: request.StreamARN });
  for (const ref of refs) {
    const known = lookup(catalog, ref);
    const granted =
      (ref.name !== undefined && allowed.has(ref.name)) ||
      (ref.arn !== undefined && allowed.has(ref.arn)) ||
      (known !== undefined && (allowed.has(known.name) || (known.arn !== undefined && allowed.has(known.arn))));
    if (!granted) {
      const what = ref.name !== undefined ? `stream '${ref.name}'` : `stream ARN '${ref.arn}'`;
      return `The access key is not authorized to read ${what}.`;
    }
  }
  return undefined;
}

/** The catalog's stream for `ref`, or `undefined` when there is none. */
function lookup(catalog: ResolvedCatalog, ref: { name?: string; arn?: string }): { name: string; arn: string | undefined } | undefined {
  try {
    return catalog.find(ref);
  } catch {
    // Not found: the grant is compared with the request's own words only.
    return undefined;
  }
}
