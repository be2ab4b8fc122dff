// The conformance page, served by runtimes.test.ts: the browser build at /dist/ (the core's
// files beside it), the suite at /suite.js. `window.runConformance(base, cases)` runs it.
import { image, media } from '/dist/index.js';
import { runConformance } from '/suite.js';

window.runConformance = (base, cases) => runConformance({ media, image }, base, cases);
window.conformanceReady = true;
