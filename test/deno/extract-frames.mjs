// Run in Deno by package.test.ts, from inside a scratch copy of the built package, so that
// `stillframe` resolves through package.json's `exports` exactly as in an application.
//
//   deno run --allow-read --allow-net=127.0.0.1 extract-frames.mjs VIDEO URL
//
// Prints one JSON line: the hashes of every query mode's frame through `dataSrc` (bytes, and
// the HarmonyOS callback descriptor) and `url` (VIDEO served over HTTP at URL). It never closes
// the engine: its idle workers must not keep Deno from exiting.
import { image, media } from 'stillframe';
import { frameHashes, sourcesOf } from './frame-hashes.ts';

const [video, url] = Deno.args;
const bytes = await Deno.readFile(video);
console.log(JSON.stringify(await frameHashes({ media, image }, sourcesOf(bytes, url))));
