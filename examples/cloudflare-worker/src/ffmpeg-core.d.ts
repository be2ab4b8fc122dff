// Types for what the worker imports from `@ffmpeg/core` 0.12 (the package ships none). With
// wrangler, `@ffmpeg/core/wasm` resolves to `ffmpeg-core.wasm`, which its default module rules
// import as a `WebAssembly.Module` (CompiledWasm): no compiling from bytes at run time.
declare module '@ffmpeg/core' {
  import type { CreateFFmpegCore } from '../../../wasm/in-process-runner.js';
  const createFFmpegCore: CreateFFmpegCore;
  export default createFFmpegCore;
}
declare module '@ffmpeg/core/wasm' {
  const wasmModule: WebAssembly.Module;
  export default wasmModule;
}
