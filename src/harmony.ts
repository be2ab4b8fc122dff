/**
 * `stillframe/harmony` for Node (and Deno through its `node` compatibility): the HarmonyOS
 * facade alone — `media`, `image`, `BusinessError` — with the Node decode engine registered.
 * It loads none of the Kinesis facade.
 */
import { registerNodeEngine } from './runtime/node.js';

registerNodeEngine();

export * from './harmony.neutral.js';
