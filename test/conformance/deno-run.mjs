// Run in Deno by runtimes.test.ts, inside a project that has the built package installed, so
// that `stillframe` resolves through package.json's `exports` as in an application:
//
//   deno run --allow-read --allow-net=127.0.0.1 deno-run.mjs BASE_URL CASES_JSON_FILE
//
// Prints one JSON line: the results of the cases, in order.
import { image, media } from 'stillframe';
import { runConformance } from './suite.ts';

const [base, casesFile] = Deno.args;
const cases = JSON.parse(await Deno.readTextFile(casesFile));
console.log(JSON.stringify(await runConformance({ media, image }, base, cases)));
