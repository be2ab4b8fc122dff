/**
 * Node only: access keys stored as a JSON file (`stillframe serve --auth keys.json`), kept apart
 * from the runtime-neutral endpoint because it reads the file system.
 *
 * ```json
 * { "keys": [ { "accessKeyId": "AKIDCAM1", "secretAccessKey": "…", "streams": ["cam-1"] },
 *             { "accessKeyId": "AKIDADMIN", "secretAccessKey": "…", "streams": ["*"] } ] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { indexAccessKeys, type AccessKeys } from './access-keys.js';

/**
 * Reads and checks a keys file.
 * @throws Error naming the file: unreadable, not JSON, or not a valid `{ keys }` object (the
 *   message names the entry, never a secret).
 */
export async function loadKeysFile(path: string): Promise<AccessKeys> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new Error(`cannot read the keys file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${path}: not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
  }
  const keys = indexAccessKeys(json as AccessKeys, path);
  return { keys: [...keys.values()] };
}
