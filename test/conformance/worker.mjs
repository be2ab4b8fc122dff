// The conformance Worker, bundled by runtimes.test.ts as wrangler would bundle an application:
// `stillframe` from a project that has the built package installed (the `workerd` condition:
// the neutral build) and the core's wasm as a precompiled module.
//
// POST / with `{ "base": URL, "cases": [...] }` answers the results of the cases, in order.
import createFFmpegCore from '@ffmpeg/core';
import wasmModule from '@ffmpeg/core/dist/esm/ffmpeg-core.wasm';
import { image, media, registerWorkerdEngine } from 'stillframe';
import { runConformance } from './suite.ts';

registerWorkerdEngine({ createFFmpegCore, wasmModule });

export default {
  async fetch(request) {
    const { base, cases } = await request.json();
    try {
      return Response.json(await runConformance({ media, image }, base, cases));
    } catch (error) {
      return new Response(error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error), { status: 500 });
    }
  },
};
