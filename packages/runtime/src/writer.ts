/**
 * @lstmc/runtime/writer: serializes a RuntimeModel to runtime graph bytes (.lrg). Compilers and tools
 * write runtime graphs; an app that only loads them does not need the writer, so the main entry (and
 * the browser bundle built from it) leaves it out. `@lstmc/runtime/node` writes files with it.
 */
export { writeRuntimeGraph } from './format/writer.js';
