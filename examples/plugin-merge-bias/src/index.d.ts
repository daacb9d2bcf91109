import type { LstmcPlugin, PassDef } from '@lstmc/passes';
export declare const mergeBiasPass: PassDef<
  { 'min-abs': { kind: 'float'; default: number; min: number; doc: string } },
  'layers' | 'biases-merged'
>;
declare const plugin: LstmcPlugin;
export default plugin;
