// Types for what the worker imports from `@ffmpeg/core` 0.12 (the package ships none). The wasm
// is imported by its file name: wrangler's module rules (`**/*.wasm` → CompiledWasm, a
// `WebAssembly.Module`: no compiling from bytes at run time) match the import specifier, so
// `@ffmpeg/core/wasm`, which only resolves to a .wasm file, would reach esbuild unhandled.
declare module '@ffmpeg/core' {
  import type { CreateFFmpegCore } from '../../../wasm/in-process-runner.js';
  const createFFmpegCore: CreateFFmpegCore;
  export default createFFmpegCore;
}
declare module '@ffmpeg/core/dist/esm/ffmpeg-core.wasm' {
  const wasmModule: WebAssembly.Module;
  export default wasmModule;
}
