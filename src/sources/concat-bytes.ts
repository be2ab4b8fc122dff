/** Joining byte arrays read or cut in pieces (response bodies, transport stream payloads). */

/** The bytes of `parts` one after the other: the single part itself when there is one, else a copy. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
