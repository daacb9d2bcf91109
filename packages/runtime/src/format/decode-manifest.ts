import { describeNonFinite, findNonFinite } from '../finite.js';
import { rtFail } from '../errors.js';
import { isRtDType, RT_DTYPES, viewData, type RtDType } from '../dtype.js';
import { RT_ATTR_TYPES, RT_EXEC_MODES, type RtAttr, type RtDim, type RtExecMode, type RtNode, type RtSubgraph, type RtValue, type RuntimeModel } from '../model.js';
import type { RtTensor } from '../tensor.js';
import { BLOB_ALIGN } from './header.js';
import { BLOB_REF_KEYS, MANIFEST_KEYS, NODE_KEYS, SUBGRAPH_KEYS, VALUE_KEYS } from './manifest-json.js';

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: Json, field: string, keys: readonly string[], required: readonly string[], code: 'E-RT-MANIFEST' | 'E-RT-ATTR' = 'E-RT-MANIFEST'): Record<string, Json> {
  if (!isObj(v)) rtFail(code, 'expected an object', { field });
  for (const k of Object.keys(v)) if (!keys.includes(k)) rtFail(code, `unknown key '${k}'`, { field: `${field}.${k}` });
  for (const k of required) if (!(k in v)) rtFail(code, `missing key '${k}'`, { field: `${field}.${k}` });
  return v;
}

function arr(v: Json, field: string): Json[] {
  if (!Array.isArray(v)) rtFail('E-RT-MANIFEST', 'expected an array', { field });
  return v;
}

function str(v: Json, field: string): string {
  if (typeof v !== 'string') rtFail('E-RT-MANIFEST', 'expected a string', { field });
  return v;
}

function int(v: Json, field: string, code: 'E-RT-MANIFEST' | 'E-RT-ATTR' = 'E-RT-MANIFEST'): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) rtFail(code, 'expected an integer', { field });
  return v;
}

/** Value index in [-1, n) when `optional`, [0, n) otherwise. */
function index(v: Json, n: number, field: string, optional: boolean): number {
  const i = int(v, field);
  if (i < (optional ? -1 : 0) || i >= n) rtFail('E-RT-INDEX', `value index ${i} is out of range (${n} values)`, { field });
  return i;
}

function dtype(v: Json, field: string): RtDType {
  if (!isRtDType(v)) rtFail('E-RT-DTYPE', `unknown dtype ${JSON.stringify(v)}`, { field });
  return v;
}

function dims(v: Json, field: string, symbolic: boolean): RtDim[] {
  return arr(v, field).map((d, i) => {
    if (typeof d === 'number' && Number.isSafeInteger(d) && d >= 0) return d;
    if (symbolic && typeof d === 'string' && d.length > 0) return d;
    return rtFail('E-RT-SHAPE', `bad dimension ${JSON.stringify(d)}`, { field: `${field}[${i}]` });
  });
}

/** Resolves a blob reference into a typed view of the (copied, aligned) blob after checking range, alignment and size. */
function blobTensor(ref: Json, dt: RtDType, shape: readonly RtDim[] | null, blob: ArrayBuffer, blobFileOffset: number, field: string): RtTensor {
  const r = obj(ref, field, BLOB_REF_KEYS, BLOB_REF_KEYS);
  const offset = int(r['offset'], `${field}.offset`);
  const length = int(r['length'], `${field}.length`);
  if (offset < 0 || length < 0 || offset + length > blob.byteLength) {
    rtFail('E-RT-BLOB-RANGE', `blob range [${offset}, +${length}) is outside the ${blob.byteLength}-byte blob`, { field, offset: blobFileOffset + Math.max(0, offset) });
  }
  if (offset % BLOB_ALIGN !== 0) rtFail('E-RT-ALIGN', `blob offset ${offset} is not ${BLOB_ALIGN}-byte aligned`, { field, offset: blobFileOffset + offset });
  if (shape === null || shape.some((d) => typeof d !== 'number')) rtFail('E-RT-SHAPE', 'a constant needs a fully numeric shape', { field });
  const nshape = shape as number[];
  let n = 1;
  for (const d of nshape) n *= d;
  if (n * RT_DTYPES[dt].bytes !== length) {
    rtFail('E-RT-BLOB-RANGE', `blob range holds ${length} bytes, ${dt}[${nshape.join(',')}] needs ${n * RT_DTYPES[dt].bytes}`, { field, offset: blobFileOffset + offset });
  }
  return { dtype: dt, shape: nshape, data: viewData(dt, blob, offset, n) } as RtTensor;
}

function attr(v: Json, blob: ArrayBuffer, blobFileOffset: number, field: string): RtAttr {
  if (!isObj(v) || typeof v['type'] !== 'string' || !(RT_ATTR_TYPES as readonly string[]).includes(v['type'])) {
    rtFail('E-RT-ATTR', 'attribute must be an object with a known type', { field });
  }
  const type = v['type'] as RtAttr['type'];
  const keys = type === 'tensor' ? ['type', 'dtype', 'shape', 'data'] : ['type', 'value'];
  obj(v, field, keys, keys, 'E-RT-ATTR');
  const value = v['value'];
  const num = (x: Json, f: string) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) rtFail('E-RT-ATTR', 'expected a number', { field: f });
    return x;
  };
  const list = (x: Json) => {
    if (!Array.isArray(x)) rtFail('E-RT-ATTR', 'expected an array', { field: `${field}.value` });
    return x;
  };
  switch (type) {
    case 'int':
      return { type, value: int(value, `${field}.value`, 'E-RT-ATTR') };
    case 'float':
      return { type, value: num(value, `${field}.value`) };
    case 'string':
      if (typeof value !== 'string') rtFail('E-RT-ATTR', 'expected a string', { field: `${field}.value` });
      return { type, value };
    case 'ints':
      return { type, value: list(value).map((x, i) => int(x, `${field}.value[${i}]`, 'E-RT-ATTR')) };
    case 'floats':
      return { type, value: list(value).map((x, i) => num(x, `${field}.value[${i}]`)) };
    case 'strings':
      return {
        type,
        value: list(value).map((x, i) => {
          if (typeof x !== 'string') rtFail('E-RT-ATTR', 'expected a string', { field: `${field}.value[${i}]` });
          return x;
        }),
      };
    case 'tensor': {
      const dt = dtype(v['dtype'], `${field}.dtype`);
      const shape = dims(v['shape'], `${field}.shape`, false);
      return { type, value: blobTensor(v['data'], dt, shape, blob, blobFileOffset, `${field}.data`) };
    }
  }
}

function mode(v: Json, field: string): RtExecMode {
  const o = obj(v, field, ['W', 'R'], ['W', 'R']);
  for (const k of ['W', 'R'] as const) {
    if (!(RT_EXEC_MODES as readonly Json[]).includes(o[k])) rtFail('E-RT-MANIFEST', `mode must be one of ${RT_EXEC_MODES.join(', ')}`, { field: `${field}.${k}` });
  }
  return o as unknown as RtExecMode;
}

/**
 * Turns parsed manifest JSON into a RuntimeModel, checking its structure, every index, dtype, shape and blob
 * reference. Graph-level rules (kernels, attributes, order) are checked by validateGraph.
 * `blob` is an aligned copy of the blob bytes; `blobFileOffset` maps blob offsets to file offsets for errors;
 * `minor` is the file's minor format version (branches need 1.1).
 */
export function decodeManifest(json: Json, blob: ArrayBuffer, blobFileOffset: number, minor = 0, allowNonFinite = false): RuntimeModel {
  const m = obj(json, 'manifest', MANIFEST_KEYS, ['values', 'inputs', 'outputs', 'nodes']);
  const rawValues = arr(m['values'], 'values');
  const n = rawValues.length;
  const values: RtValue[] = rawValues.map((rv, i) => {
    const f = `values[${i}]`;
    const o = obj(rv, f, VALUE_KEYS, ['name', 'dtype', 'shape']);
    const name = str(o['name'], `${f}.name`);
    const dt = dtype(o['dtype'], `${f}.dtype`);
    const shape = o['shape'] === null ? null : dims(o['shape'], `${f}.shape`, true);
    if (o['data'] === undefined) return { name, dtype: dt, shape };
    const data = blobTensor(o['data'], dt, shape, blob, blobFileOffset, `${f}.data`);
    const bad = allowNonFinite ? undefined : findNonFinite(data);
    // A NaN or infinite weight makes every output it reaches NaN without any error: refused at load.
    if (bad) rtFail('E-RT-NONFINITE', `constant '${name}' holds ${describeNonFinite(bad)} (load with allowNonFinite to accept it)`, { field: name });
    return { name, dtype: dt, shape, data };
  });
  const inputs = arr(m['inputs'], 'inputs').map((x, i) => index(x, n, `inputs[${i}]`, false));
  const outputs = arr(m['outputs'], 'outputs').map((x, i) => index(x, n, `outputs[${i}]`, false));
  const decodeNodes = (list: Json, path: string): RtNode[] =>
    arr(list, path).map((rn, i) => {
      const f = `${path}[${i}]`;
      const o = obj(rn, f, NODE_KEYS, ['kernel', 'name', 'inputs', 'outputs', 'attrs']);
      const attrsJson = o['attrs'];
      if (!isObj(attrsJson)) rtFail('E-RT-MANIFEST', 'expected an object', { field: `${f}.attrs` });
      const attrs: Record<string, RtAttr> = {};
      for (const [k, a] of Object.entries(attrsJson)) {
        if (k === '__proto__') rtFail('E-RT-ATTR', `attribute name '${k}' is not allowed`, { field: `${f}.attrs` });
        attrs[k] = attr(a, blob, blobFileOffset, `${f}.attrs.${k}`);
      }
      let branches: Record<string, RtSubgraph> | undefined;
      if (o['branches'] !== undefined) {
        if (minor < 1) rtFail('E-RT-MANIFEST', 'branches need format 1.1 (this file says 1.0)', { field: `${f}.branches` });
        const bj = o['branches'];
        if (!isObj(bj)) rtFail('E-RT-MANIFEST', 'expected an object', { field: `${f}.branches` });
        branches = {};
        for (const [b, sj] of Object.entries(bj)) {
          if (b === '__proto__') rtFail('E-RT-MANIFEST', `branch name '${b}' is not allowed`, { field: `${f}.branches` });
          const so = obj(sj, `${f}.branches.${b}`, SUBGRAPH_KEYS, SUBGRAPH_KEYS);
          branches[b] = {
            nodes: decodeNodes(so['nodes'], `${f}.branches.${b}.nodes`),
            outputs: arr(so['outputs'], `${f}.branches.${b}.outputs`).map((x, j) => index(x, n, `${f}.branches.${b}.outputs[${j}]`, false)),
          };
        }
      }
      const node: RtNode = {
        kernel: str(o['kernel'], `${f}.kernel`),
        name: str(o['name'], `${f}.name`),
        inputs: arr(o['inputs'], `${f}.inputs`).map((x, j) => index(x, n, `${f}.inputs[${j}]`, true)),
        outputs: arr(o['outputs'], `${f}.outputs`).map((x, j) => index(x, n, `${f}.outputs[${j}]`, true)),
        attrs,
        ...(o['mode'] !== undefined ? { mode: mode(o['mode'], `${f}.mode`) } : {}),
        ...(branches ? { branches } : {}),
      };
      return node;
    });
  const nodes = decodeNodes(m['nodes'], 'nodes');
  let metadata: Record<string, string> | undefined;
  if (m['metadata'] !== undefined) {
    const md = m['metadata'];
    if (!isObj(md)) rtFail('E-RT-MANIFEST', 'expected an object', { field: 'metadata' });
    metadata = {};
    for (const [k, v] of Object.entries(md)) {
      if (k === '__proto__') rtFail('E-RT-MANIFEST', `metadata key '${k}' is not allowed`, { field: 'metadata' });
      metadata[k] = str(v, `metadata.${k}`);
    }
  }
  return { values, inputs, outputs, nodes, ...(metadata ? { metadata } : {}) };
}
