/** Graph metadata key listing the model's local functions (ModelProto.functions, `domain.name` -> recursive), which lstmc does not inline. */
export const LOCAL_FUNCTIONS_KEY = 'onnx.local_functions';

/** "a call of the model's local function 'f' (recursive)", or undefined when `op` is no local function of the graph. */
export function describeLocalCall(metadata: Readonly<Record<string, string>>, domain: string, op: string): string | undefined {
  const text = metadata[LOCAL_FUNCTIONS_KEY];
  if (!text) return undefined;
  const all = JSON.parse(text) as Record<string, boolean>;
  const id = `${domain}.${op}`;
  if (!(id in all)) return undefined;
  return `a call of the model's local function '${domain ? id : op}'${all[id] ? ', which is recursive (it calls itself), so it cannot be expanded' : ''}; lstmc does not inline local functions`;
}
